import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './i18n/language';

/** The business's time zone when BUSINESS_TIMEZONE is not set: deadlines are counted in it. */
export const DEFAULT_BUSINESS_TIMEZONE = 'Asia/Shanghai';

/** How each language writes a date: "1 Dec 2026", "2026年12月1日". */
const LOCALES: Record<Language, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

/** Dates as people read them, in their language and the business time zone the deadlines are counted in. */
export class DateFormatter {
  private readonly formats: Record<Language, Intl.DateTimeFormat>;
  constructor(readonly timeZone: string = DEFAULT_BUSINESS_TIMEZONE) {
    this.formats = Object.fromEntries(
      LANGUAGES.map((l) => [l, new Intl.DateTimeFormat(LOCALES[l], { dateStyle: 'medium', timeZone })]),
    ) as Record<Language, Intl.DateTimeFormat>;
  }
  date(iso: string | Date | null | undefined, language: Language = DEFAULT_LANGUAGE): string {
    if (!iso) return '';
    const d = iso instanceof Date ? iso : new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : this.formats[language].format(d);
  }
}
