import { driveTo } from '../support/journey';
import { BD, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// A rejected application is not a dead end unless the BD says so: reapply after a review keeps
// everything typed, a decline at the qualification review can be asked again, and "final"
// closes it for good.

let t: TestApp;
let http: ReturnType<typeof workflowHttp>;
let n = 0;
const partner = () => `partner-reopen-${++n}`;

beforeAll(async () => {
  t = await startTestApp();
  http = workflowHttp(t.url);
});
afterAll(() => t.stop());

const act = (id: string, action: string, actor: string, expectedVersion: number, payload = {}) =>
  http('POST', `/applications/${id}/actions/${action}`, actor, { expectedVersion, payload });

test('reapply after a rejection goes back to the form with every field and the reason kept', async () => {
  const p = partner();
  const app = await driveTo(http, p, 'submitted');
  const rejected = await act(app.id, 'reject', BD, app.version, { reason: 'Master UID not certified' });
  expect(rejected.body).toMatchObject({ status: 'rejected', rejectedFrom: 'submitted', closed: false });
  const back = await act(app.id, 'reapply', p, rejected.body.version);
  expect(back.status).toBe(200);
  expect(back.body).toMatchObject({
    status: 'draft',
    contactName: app.body.contactName,
    masterUid: app.body.masterUid,
    associatedUids: app.body.associatedUids,
    companyInfoConfirmed: true,
    note: 'Master UID not certified',
    rejectedFrom: null,
  });
  expect((await act(app.id, 'submit', p, back.body.version)).body.status).toBe('submitted');
});

test('a decline at the qualification review is asked again, not reapplied to the form', async () => {
  const p = partner();
  const app = await driveTo(http, p, 'qualification_review');
  const declined = await act(app.id, 'decline', BD, app.version, { reason: 'Certification incomplete' });
  expect(declined.body).toMatchObject({ status: 'rejected', rejectedFrom: 'qualification_review' });
  const wrong = await act(app.id, 'reapply', p, declined.body.version);
  expect(wrong.status).toBe(422);
  expect(wrong.body.error.code).toBe('declined_at_review');
  const again = await act(app.id, 'request-qualification-review', p, declined.body.version);
  expect(again.body.status).toBe('qualification_review');
});

test.each(['reject', 'decline'] as const)(
  '%s with final closes it for good: nothing reopens it',
  async (action) => {
    const p = partner();
    const app = await driveTo(http, p, action === 'reject' ? 'submitted' : 'qualification_review');
    const closed = await act(app.id, action, BD, app.version, {
      reason: 'Not a fit for the programme',
      final: true,
    });
    expect(closed.body).toMatchObject({ status: 'rejected', closed: true });
    for (const next of ['reapply', 'request-qualification-review']) {
      const r = await act(app.id, next, p, closed.body.version);
      expect([next, r.status, r.body.error.code]).toEqual([next, 422, 'application_closed']);
    }
    expect((await http('GET', `/applications/${app.id}`, p)).body.version).toBe(closed.body.version);
  },
);

test('decline needs a reason, as reject does', async () => {
  const app = await driveTo(http, partner(), 'qualification_review');
  const r = await act(app.id, 'decline', BD, app.version, { reason: '' });
  expect(r.status).toBe(400);
  expect(r.body.error.message).toContain('reason');
});
