import { driveTo } from '../support/journey';
import { BD, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

let now = new Date('2026-11-27T07:00:00Z'); // Friday 15:00 in Shanghai
let t: TestApp;
let http: ReturnType<typeof workflowHttp>;

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  http = workflowHttp(t.url);
});
afterAll(() => t.stop());

test('submitted is due 3 working days later and shows overdue once past', async () => {
  const app = await driveTo(http, 'deadline-partner', 'submitted');
  expect(app.body.dueDate).toBe('2026-12-02T15:59:59.999Z');
  expect(app.body.overdue).toBe(false);

  now = new Date('2026-12-02T15:00:00Z');
  expect((await http('GET', `/applications/${app.id}`, BD)).body.overdue).toBe(false);
  now = new Date('2026-12-02T16:00:00Z');
  const late = await http('GET', `/applications/${app.id}`, BD);
  expect(late.body.overdue).toBe(true);

  const approved = await http('POST', `/applications/${app.id}/actions/approve`, BD, {
    expectedVersion: app.version,
  });
  expect(approved.body).toMatchObject({ status: 'qualified', dueDate: null, overdue: false });
});

test('awaiting_contract is due 3 working days after the terms are confirmed', async () => {
  now = new Date('2026-09-30T02:00:00Z'); // Wednesday before National Day (1-7 October, 10th worked)
  const app = await driveTo(http, 'deadline-partner-2', 'awaiting_contract');
  expect(app.body.dueDate).toBe('2026-10-10T15:59:59.999Z');
});

test('the BD queue lists the oldest deadline first, undated last', async () => {
  now = new Date('2026-11-02T02:00:00Z');
  const early = await driveTo(http, 'queue-1', 'submitted');
  now = new Date('2026-11-05T02:00:00Z');
  const later = await driveTo(http, 'queue-2', 'submitted');
  const undated = await driveTo(http, 'queue-3', 'qualified');
  const list = await http('GET', '/applications?status=submitted,qualified', BD);
  const ids = list.body.map((a: any) => a.id);
  expect(ids.indexOf(early.id)).toBeLessThan(ids.indexOf(later.id));
  expect(ids.indexOf(later.id)).toBeLessThan(ids.indexOf(undated.id));
});
