import { holidaySourceFor, type HolidaySource } from './holidaySources';

export interface CalendarConfig {
  country: string;
  region?: string;
  timeZone: string;
  /** Extra days off, YYYY-MM-DD (company closures). */
  extraHolidays: string[];
  /** Weekend days that are worked, YYYY-MM-DD (e.g. China's make-up working days). */
  extraWorkingDays: string[];
}

const DAY_MS = 86_400_000;

/**
 * Working-day arithmetic on the business's calendar: weekends and the country's
 * holidays are off, worked weekend days (China's make-up days) are on, adjusted by
 * configured extra days. Dates are the business time zone's calendar dates, so
 * "3 working days" means what the BD's office means by it.
 */
export class WorkingCalendar {
  private readonly holidays: HolidaySource;
  private readonly extraOff: Set<string>;
  private readonly extraOn: Set<string>;
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly partsFormat: Intl.DateTimeFormat;

  constructor(private readonly config: CalendarConfig) {
    this.holidays = holidaySourceFor(config.country, config.region);
    this.extraOff = new Set(config.extraHolidays);
    this.extraOn = new Set(config.extraWorkingDays);
    this.dateFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: config.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    this.partsFormat = new Intl.DateTimeFormat('en-US', {
      timeZone: config.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  get timeZone(): string {
    return this.config.timeZone;
  }

  /** The business-time-zone calendar date of an instant, as YYYY-MM-DD. */
  localDate(instant: Date): string {
    return this.dateFormat.format(instant);
  }

  isWorkingDay(date: string): boolean {
    if (this.extraOn.has(date)) return true;
    if (this.extraOff.has(date)) return false;
    if (this.holidays.isWorkedWeekend(date)) return true;
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    return !this.holidays.isHoliday(date);
  }

  /** This year and next, where the holiday source has no schedule yet (start-up warns). */
  uncoveredYears(now: Date): number[] {
    const year = Number(this.localDate(now).slice(0, 4));
    return [year, year + 1].filter((y) => !this.holidays.covers(y));
  }

  /** Where the days off come from, for that warning. */
  get holidaySource(): string {
    return this.holidays.name;
  }

  /**
   * The end (23:59:59.999 local) of the n-th working day after the day of `from`.
   * Submitting on Friday afternoon gives the BD Monday, Tuesday and Wednesday.
   */
  addWorkingDays(from: Date, n: number): Date {
    let date = this.localDate(from);
    for (let counted = 0; counted < n;) {
      date = nextDate(date);
      if (this.isWorkingDay(date)) counted++;
    }
    return new Date(this.startOfLocalDay(nextDate(date)).getTime() - 1);
  }

  /** Working days left from `now` until `due` (0 on the due day, negative once past). */
  workingDaysUntil(now: Date, due: Date): number {
    const today = this.localDate(now);
    const end = this.localDate(due);
    if (today === end) return 0;
    const forward = today < end;
    let count = 0;
    for (let d = today; d !== end; d = forward ? nextDate(d) : prevDate(d)) {
      const step = forward ? nextDate(d) : d;
      if (this.isWorkingDay(step)) count++;
    }
    return forward ? count : -count;
  }

  private startOfLocalDay(date: string): Date {
    const guess = Date.parse(`${date}T00:00:00Z`);
    let instant = guess - this.offsetAt(guess);
    // Across a DST change the offset at the answer differs from the guess's: settle it.
    instant = guess - this.offsetAt(instant);
    return new Date(instant);
  }

  /** Milliseconds the business time zone is ahead of UTC at an instant. */
  private offsetAt(instant: number): number {
    const p = Object.fromEntries(
      this.partsFormat.formatToParts(new Date(instant)).map((x) => [x.type, x.value]),
    );
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - Math.floor(instant / 1000) * 1000;
  }
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function prevDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}
