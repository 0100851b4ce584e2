import Holidays from 'date-holidays';
import schedule from 'chinese-days/dist/chinese-days.json';

/** Where a calendar's days off come from, per country. Dates are YYYY-MM-DD. */
export interface HolidaySource {
  /** A day off that is not a weekend rule: a public holiday, or a day moved next to one. */
  isHoliday(date: string): boolean;
  /** A weekend day that is worked (China's 调休上班). */
  isWorkedWeekend(date: string): boolean;
  /** Whether the source knows this year's schedule (rules never run out; a published list may). */
  covers(year: number): boolean;
  /** Says where the days come from, for the start-up warning. */
  readonly name: string;
}

const DAY_MS = 86_400_000;

/** date-holidays: rules per country (and region), whole-day public and bank holidays only. */
export class RuleHolidays implements HolidaySource {
  readonly name = 'date-holidays';
  private readonly holidays: Holidays;
  private readonly yearCache = new Map<number, Set<string>>();

  constructor(country: string, region?: string) {
    this.holidays = region ? new Holidays(country, region) : new Holidays(country);
  }

  isHoliday(date: string): boolean {
    return this.year(Number(date.slice(0, 4))).has(date);
  }

  isWorkedWeekend(): boolean {
    return false;
  }

  covers(): boolean {
    return true;
  }

  private year(year: number): Set<string> {
    let days = this.yearCache.get(year);
    if (!days) {
      days = new Set();
      for (const h of this.holidays.getHolidays(year) || []) {
        // Only whole-day public holidays close the office; half-days (e.g. 12:00 starts) do not.
        if ((h.type !== 'public' && h.type !== 'bank') || !/^\d{4}-\d{2}-\d{2} 00:00:00/.test(h.date))
          continue;
        const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
        let d = h.date.slice(0, 10);
        for (
          let i = 0;
          i < span;
          i++, d = new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
        )
          days.add(d);
      }
      this.yearCache.set(year, days);
    }
    return days;
  }
}

/**
 * China's official schedule: the State Council General Office publishes each year's
 * holidays, the days off moved next to them and the weekend days worked in exchange
 * (国务院办公厅关于…部分节假日安排的通知), usually in the November before. Rules cannot
 * derive it, so it comes as data from the `chinese-days` package, which tracks the notices
 * (checked against the 2025 and 2026 notices in test/workflow/chinaCalendar.test.ts). A
 * year not published yet falls back to date-holidays' rules (the fixed and lunar holidays,
 * without the moved days), and start-up warns about it.
 */
export class ChinaOfficialHolidays implements HolidaySource {
  readonly name = 'the State Council schedule (chinese-days)';
  private readonly holidays: Set<string>;
  private readonly worked: Set<string>;
  private readonly years: Set<number>;

  constructor(private readonly fallback: HolidaySource = new RuleHolidays('CN')) {
    const data = schedule as { holidays: Record<string, string>; workdays: Record<string, string> };
    this.holidays = new Set(Object.keys(data.holidays));
    this.worked = new Set(Object.keys(data.workdays));
    this.years = new Set([...this.holidays].map((d) => Number(d.slice(0, 4))));
  }

  isHoliday(date: string): boolean {
    return this.covers(yearOf(date)) ? this.holidays.has(date) : this.fallback.isHoliday(date);
  }

  isWorkedWeekend(date: string): boolean {
    return this.covers(yearOf(date)) && this.worked.has(date);
  }

  covers(year: number): boolean {
    return this.years.has(year);
  }
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The source for a country: China's official schedule for CN, date-holidays' rules elsewhere. */
export function holidaySourceFor(country: string, region?: string): HolidaySource {
  return country === 'CN' ? new ChinaOfficialHolidays() : new RuleHolidays(country, region);
}
