/** The business's time zone when BUSINESS_TIMEZONE is not set: deadlines are counted in it. */
export const DEFAULT_BUSINESS_TIMEZONE = 'Asia/Shanghai';

/** Dates as people read them ("1 Dec 2026"), in the business time zone the deadlines are counted in. */
export class DateFormatter {
  private readonly format: Intl.DateTimeFormat;
  constructor(readonly timeZone: string = DEFAULT_BUSINESS_TIMEZONE) {
    this.format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone });
  }
  date(iso: string | Date | null | undefined): string {
    if (!iso) return '';
    const d = iso instanceof Date ? iso : new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : this.format.format(d);
  }
}
