import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './i18n/language';

/** The business's time zone when BUSINESS_TIMEZONE is not set: deadlines are counted in it. */
export const DEFAULT_BUSINESS_TIMEZONE = 'Asia/Shanghai';

/** How each language writes a date: "1 Dec 2026", "2026年12月1日". */
const LOCALES: Record<Language, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

/** Dates as people read them, in their language and the business time zone the deadlines are counted in. */
export class DateFormatter {
  private readonly formats: Record<Language, Intl.DateTimeFormat>;
  private readonly days: Record<Language, Intl.DateTimeFormat>;
  constructor(readonly timeZone: string = DEFAULT_BUSINESS_TIMEZONE) {
    this.days = Object.fromEntries(
      LANGUAGES.map((l) => [
        l,
        new Intl.DateTimeFormat(LOCALES[l], { dateStyle: 'medium', timeZone: 'UTC' }),
      ]),
    ) as Record<Language, Intl.DateTimeFormat>;
    this.formats = Object.fromEntries(
      LANGUAGES.map((l) => [l, new Intl.DateTimeFormat(LOCALES[l], { dateStyle: 'medium', timeZone })]),
    ) as Record<Language, Intl.DateTimeFormat>;
  }
  /** A calendar day written YYYY-MM-DD (an effective date), as the language writes it: no time zone moves it. */
  day(ymd: string, language: Language = DEFAULT_LANGUAGE): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return '';
    const d = new Date(`${ymd}T12:00:00Z`);
    return Number.isNaN(d.getTime()) ? '' : this.days[language].format(d);
  }

  date(iso: string | Date | null | undefined, language: Language = DEFAULT_LANGUAGE): string {
    if (!iso) return '';
    const d = iso instanceof Date ? iso : new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : this.formats[language].format(d);
  }
}
