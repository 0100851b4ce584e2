import { WorkingCalendar, type CalendarConfig } from '../../src/workflow/workingCalendar';

// Working days with HOLIDAY_COUNTRY=CN follow the State Council's yearly schedule: its
// holidays (with the days off moved next to them) and its make-up working days (调休上班).
// The schedules below are copied from the State Council General Office notices:
// 国办发明电〔2024〕12号 (2025) and 国办发明电〔2025〕7号 (2026).

const OFFICIAL: Record<number, { off: string[][]; work: string[] }> = {
  2025: {
    off: [
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const CN: CalendarConfig = {
  country: 'CN',
  timeZone: 'Asia/Shanghai',
  extraHolidays: [],
  extraWorkingDays: [],
};

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = from;
    d <= to;
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  )
    out.push(d);
  return out;
}

const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay());

describe.each([2025, 2026])('the official %i schedule', (year) => {
  const calendar = new WorkingCalendar(CN);
  const off = new Set(OFFICIAL[year].off.flatMap(([a, b]) => days(a, b)));
  const work = new Set(OFFICIAL[year].work);

  test('every day of the year is a working day exactly when the schedule says so', () => {
    const wrong = days(`${year}-01-01`, `${year}-12-31`).filter((d) => {
      const expected = work.has(d) || (!off.has(d) && !isWeekend(d));
      return calendar.isWorkingDay(d) !== expected;
    });
    expect(wrong).toEqual([]);
  });
});

test('the 2026 days the issue found wrong', () => {
  const calendar = new WorkingCalendar(CN);
  for (const d of ['2026-02-19', '2026-02-20', '2026-02-23', '2026-05-04', '2026-10-05'])
    expect([d, calendar.isWorkingDay(d)]).toEqual([d, false]);
  for (const d of ['2026-02-14', '2026-02-28', '2026-05-09', '2026-10-10'])
    expect([d, calendar.isWorkingDay(d)]).toEqual([d, true]);
  // Children's Day is a holiday for children only: adults work.
  expect(calendar.isWorkingDay('2026-06-01')).toBe(true);
});

test('3 working days across the 2026 Spring Festival and National Day', () => {
  const calendar = new WorkingCalendar(CN);
  // Friday 13 Feb: Sat 14 (make-up), Tue 24, Wed 25.
  expect(calendar.addWorkingDays(new Date('2026-02-13T02:00:00Z'), 3).toISOString()).toBe(
    '2026-02-25T15:59:59.999Z',
  );
  // Wednesday 30 Sep: Thu 8 Oct, Fri 9, Sat 10 (make-up).
  expect(calendar.addWorkingDays(new Date('2026-09-30T02:00:00Z'), 3).toISOString()).toBe(
    '2026-10-10T15:59:59.999Z',
  );
});

test('which years the official schedule covers; a year it does not falls back to the fixed holidays', () => {
  const calendar = new WorkingCalendar(CN);
  expect(calendar.uncoveredYears(new Date('2025-06-01T00:00:00Z'))).toEqual([]);
  // 2027's schedule is not in this version of the data: warned about all through 2026.
  expect(calendar.uncoveredYears(new Date('2026-12-01T00:00:00Z'))).toEqual([2027]);
  expect(calendar.uncoveredYears(new Date('2031-06-01T00:00:00Z'))).toEqual([2031, 2032]);
  // Outside the schedule, New Year's Day and National Day are still days off (date-holidays).
  expect(calendar.isWorkingDay('2031-01-01')).toBe(false);
  expect(calendar.isWorkingDay('2031-10-01')).toBe(false);
  expect(calendar.isWorkingDay('2031-01-02')).toBe(true);
});

test('other countries keep date-holidays, with no coverage gaps', () => {
  const sg = new WorkingCalendar({ ...CN, country: 'SG', timeZone: 'Asia/Singapore' });
  expect(sg.isWorkingDay('2026-08-10')).toBe(false); // National Day observed (9 Aug is a Sunday)
  expect(sg.isWorkingDay('2026-02-14')).toBe(false); // a Saturday: no make-up days in Singapore
  expect(sg.uncoveredYears(new Date('2026-12-01T00:00:00Z'))).toEqual([]);
});

test('configured extra days still win over the schedule', () => {
  const calendar = new WorkingCalendar({
    ...CN,
    extraHolidays: ['2026-02-24'],
    extraWorkingDays: ['2026-02-21'],
  });
  expect(calendar.isWorkingDay('2026-02-24')).toBe(false);
  expect(calendar.isWorkingDay('2026-02-21')).toBe(true);
});

test('start-up warns when the schedule does not cover this year or the next, naming the setting', async () => {
  const { startTestApp } = await import('../support/testApp');
  const lines: string[] = [];
  const t = await startTestApp({
    clock: () => new Date('2026-12-01T02:00:00Z'),
    env: { LOG_LEVEL: 'warn' },
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  await t.stop();
  const warning = lines.map((l) => JSON.parse(l)).find((l) => l.msg?.includes('holiday schedule'));
  expect(warning).toMatchObject({ level: 40, setting: 'HOLIDAY_COUNTRY', country: 'CN', years: [2027] });
});
