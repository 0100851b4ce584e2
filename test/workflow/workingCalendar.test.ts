import { WorkingCalendar, type CalendarConfig } from '../../src/workflow/workingCalendar';

const cn = (extra: Partial<CalendarConfig> = {}) =>
  new WorkingCalendar({
    country: 'CN',
    timeZone: 'Asia/Shanghai',
    extraHolidays: [],
    extraWorkingDays: [],
    ...extra,
  });

describe('WorkingCalendar', () => {
  test('weekends are skipped: Friday afternoon gives Monday to Wednesday', () => {
    const due = cn().addWorkingDays(new Date('2026-11-27T15:00:00+08:00'), 3);
    expect(due.toISOString()).toBe('2026-12-02T15:59:59.999Z');
  });

  test('a weekend submission counts from Monday', () => {
    expect(cn().addWorkingDays(new Date('2026-11-28T10:00:00+08:00'), 3).toISOString()).toBe(
      '2026-12-02T15:59:59.999Z',
    );
  });

  test('the business time zone decides the day: 20:00 UTC Friday is Saturday in Shanghai', () => {
    const fromUtcFriday = cn().addWorkingDays(new Date('2026-11-27T20:00:00Z'), 3);
    expect(fromUtcFriday.toISOString()).toBe('2026-12-02T15:59:59.999Z');
    expect(cn().localDate(new Date('2026-11-27T20:00:00Z'))).toBe('2026-11-28');
  });

  test('public holidays are skipped and make-up days worked (National Day, 1-7 October; Saturday 10 October)', () => {
    const cal = cn();
    expect(cal.isWorkingDay('2026-10-01')).toBe(false);
    expect(cal.isWorkingDay('2026-09-30')).toBe(true);
    expect(cal.addWorkingDays(new Date('2026-09-30T10:00:00+08:00'), 3).toISOString()).toBe(
      '2026-10-10T15:59:59.999Z',
    );
  });

  test('configured extra holidays and make-up working days apply', () => {
    const cal = cn({ extraHolidays: ['2026-12-01'], extraWorkingDays: ['2026-11-28'] });
    expect(cal.isWorkingDay('2026-11-28')).toBe(true);
    // Friday 27 November: Saturday 28 (worked), Monday 30, then 2 December (the 1st is off).
    expect(cal.addWorkingDays(new Date('2026-11-27T10:00:00+08:00'), 3).toISOString()).toBe(
      '2026-12-02T15:59:59.999Z',
    );
    expect(cal.addWorkingDays(new Date('2026-11-27T10:00:00+08:00'), 2).toISOString()).toBe(
      '2026-11-30T15:59:59.999Z',
    );
  });

  test('another country and a DST change: end of day is local time after the clocks move', () => {
    const us = new WorkingCalendar({
      country: 'US',
      timeZone: 'America/New_York',
      extraHolidays: [],
      extraWorkingDays: [],
    });
    // DST starts Sunday 8 March 2026: Wednesday 11 March ends at 03:59:59.999 UTC (EDT, UTC-4).
    expect(us.addWorkingDays(new Date('2026-03-06T17:00:00Z'), 3).toISOString()).toBe(
      '2026-03-12T03:59:59.999Z',
    );
    const sg = new WorkingCalendar({
      country: 'SG',
      timeZone: 'Asia/Singapore',
      extraHolidays: [],
      extraWorkingDays: [],
    });
    expect(sg.isWorkingDay('2026-12-25')).toBe(false);
    expect(sg.addWorkingDays(new Date('2026-12-24T09:00:00+08:00'), 3).toISOString()).toBe(
      '2026-12-30T15:59:59.999Z',
    );
  });

  test('working days until a deadline count down to zero and below', () => {
    const cal = cn();
    const due = new Date('2026-12-02T15:59:59.999Z');
    expect(cal.workingDaysUntil(new Date('2026-11-27T09:00:00+08:00'), due)).toBe(3);
    expect(cal.workingDaysUntil(new Date('2026-11-30T09:00:00+08:00'), due)).toBe(2);
    expect(cal.workingDaysUntil(new Date('2026-12-02T09:00:00+08:00'), due)).toBe(0);
    expect(cal.workingDaysUntil(new Date('2026-12-04T09:00:00+08:00'), due)).toBe(-2);
  });
});
