import { outboxDrained } from '../support/outbox';
import { HttpWorkflowClient } from '../../src/workflow/httpWorkflowClient';
import { InProcessWorkflowClient } from '../../src/workflow/inProcessWorkflowClient';
import type { WorkflowClient } from '../../src/workflow/workflowClient';
import { describePostgres, tempPostgres, tempSqlite, type TestDatabase } from '../support/databases';
import { fullFields } from '../support/journey';
import { BD, startTestApp, TOKEN, type TestApp } from '../support/testApp';

/** The two WorkflowClient implementations the bot may be given: both must pass the same journey. */
const CLIENTS: [string, (t: TestApp) => WorkflowClient][] = [
  [
    'over HTTP',
    (t) => new HttpWorkflowClient({ baseUrl: `${t.url}/workflow/v1`, apiToken: TOKEN, timeoutMs: 5000 }),
  ],
  ['in process', (t) => new InProcessWorkflowClient(t.app.workflow, t.app.log)],
];

/** register → activate-acpn with the typed client, as the bot drives it. */
async function wholeJourney(t: TestApp, client: WorkflowClient) {
  const partner = `journey-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const f = fullFields();
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };

  let app = must(
    await client.register(partner, {
      companyName: f.companyName,
      mainUid: f.mainUid,
      contactEmail: f.contactEmail,
    }),
  );
  expect(app).toMatchObject({ status: 'prospect', version: 1, companyName: f.companyName, dueDate: null });
  app = must(await client.act(partner, app.id, 'request-qualification-review', app.version));
  const invited = must(await client.act(BD, app.id, 'invite', app.version));
  expect(invited.invitationCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  app = must(
    await client.act(partner, app.id, 'accept-invitation', invited.version, {
      invitationCode: invited.invitationCode!,
    }),
  );
  expect(app.status).toBe('draft');
  const { companyName: _c, mainUid: _m, contactEmail: _e, ...rest } = f;
  app = must(await client.act(partner, app.id, 'update-application', app.version, rest as never));
  app = must(await client.act(partner, app.id, 'submit', app.version));
  expect(app.status).toBe('submitted');
  expect(app.dueDate).not.toBeNull();
  expect(app.overdue).toBe(false);
  app = must(await client.act(partner, app.id, 'withdraw', app.version));
  expect(app).toMatchObject({ status: 'draft', dueDate: null });
  app = must(await client.act(partner, app.id, 'submit', app.version));
  app = must(await client.act(BD, app.id, 'approve', app.version, { comment: 'Interview passed' }));
  expect(app.status).toBe('qualified');
  const sheet = { basicInfo: { businessType: 'reseller' }, commissionPolicy: { discount: '10%' } };
  app = must(await client.act(BD, app.id, 'fill-decision-sheet', app.version, sheet));
  app = must(
    await client.act(partner, app.id, 'request-modification', app.version, {
      description: 'The discount agreed in the interview was 12%, not 10%.',
    }),
  );
  expect(app).toMatchObject({
    status: 'terms_correction',
    note: 'The discount agreed in the interview was 12%, not 10%.',
  });
  app = must(
    await client.act(BD, app.id, 'fill-decision-sheet', app.version, {
      ...sheet,
      commissionPolicy: { discount: '12%' },
    }),
  );
  expect(app.decisionSheet?.commissionPolicy).toEqual({ discount: '12%' });
  app = must(await client.act(partner, app.id, 'confirm-terms', app.version));
  expect(app.status).toBe('awaiting_contract');
  expect(app.dueDate).not.toBeNull();
  app = must(await client.act(BD, app.id, 'record-contract-signed', app.version, { contractId: 'C-1' }));
  app = must(await client.act(BD, app.id, 'activate-acpn', app.version));
  expect(app).toMatchObject({ status: 'acpn_active', version: 15, bdUserId: BD, dueDate: null });

  const history = must(await client.history(BD, app.id));
  expect(history.map((h) => h.action)).toEqual([
    'register',
    'request-qualification-review',
    'invite',
    'accept-invitation',
    'update-application',
    'submit',
    'withdraw',
    'submit',
    'approve',
    'fill-decision-sheet',
    'request-modification',
    'fill-decision-sheet',
    'confirm-terms',
    'record-contract-signed',
    'activate-acpn',
  ]);
  expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
  const outbox = await t.app.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('application_id', '=', app.id)
    .orderBy('seq')
    .execute();
  expect(outbox.map((e) => e.type)).toEqual(history.map((h) => h.action));
  // The dispatcher acknowledges every event through the signed webhook.
  await outboxDrained(t.app.store.db, app.id);
  const delivered = await t.app.store.db
    .selectFrom('outbox')
    .select(['delivered_at', 'last_error'])
    .where('application_id', '=', app.id)
    .execute();
  expect(delivered.filter((e) => e.delivered_at === null)).toEqual([]);

  const listed = must(await client.list(partner, { status: ['acpn_active'] }));
  expect(listed.map((a) => a.id)).toEqual([app.id]);
  const found = must(await client.list(BD, { q: 'hangzhou example' }));
  expect(found.map((a) => a.id)).toContain(app.id);
}

describe('the whole journey on SQLite', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = tempSqlite();
    t = await startTestApp({ db });
  });
  afterAll(async () => {
    await t.stop();
    await db.drop();
  });
  test.each(CLIENTS)('register to activate-acpn, client %s', (_name, make) => wholeJourney(t, make(t)));
});

describePostgres('the whole journey on Postgres', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await tempPostgres();
    t = await startTestApp({ db });
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });
  test.each(CLIENTS)('register to activate-acpn, client %s', (_name, make) => wholeJourney(t, make(t)));
});
