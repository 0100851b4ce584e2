import { VERBS } from '../../src/cards/verbs';
import { ConnectorStub } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { BD, BD2, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// Teams' Universal Actions over HTTP: Action.Execute arrives as an `adaptiveCard/action`
// invoke and the HTTP answer carries the card to show in place of the pressed one.

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp();
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

async function invoke(userId: string, data: Record<string, unknown>, trigger = 'manual') {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `invoke-${Math.random()}`,
      channelId: 'msteams',
      serviceUrl: stub.url,
      from: { id: `29:${userId}`, aadObjectId: userId, name: userId },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: `teams-${userId}` },
      timestamp: new Date().toISOString(),
      value: { action: { type: 'Action.Execute', verb: data.verb, data }, trigger },
    }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('approve from Teams: the card comes back updated; a second BD gets "already approved", not a card', async () => {
  const app = await driveTo(http, 'partner-teams-1', 'submitted');
  const approve = { verb: VERBS.act, action: 'approve', applicationId: app.id, version: app.version };

  const first = await invoke(BD, approve);
  expect(first.status).toBe(200);
  expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(JSON.stringify(first.body.value)).toContain(`Approved by ${BD}`);

  const second = await invoke(BD2, approve);
  expect(second.body.type).toBe('application/vnd.microsoft.activity.message');
  expect(second.body.value).toContain(`Already approved by ${BD}`);
  const history = (await http('GET', `/applications/${app.id}/history`, BD)).body;
  expect(history.filter((h: { action: string }) => h.action === 'approve')).toHaveLength(1);
});

test("a refresh returns the card as it stands, with the BD's buttons while it waits on them", async () => {
  const app = await driveTo(http, 'partner-teams-2', 'submitted');
  const refresh = { verb: VERBS.refresh, applicationId: app.id, version: app.version };
  const before = await invoke(BD, refresh, 'automatic');
  expect(before.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(JSON.stringify(before.body.value)).toContain('Action.Execute');
  expect(JSON.stringify(before.body.value)).toContain('"approve"');

  await http('POST', `/applications/${app.id}/actions/reject`, BD2, {
    expectedVersion: app.version,
    payload: { reason: 'Certification missing' },
  });
  const after = await invoke(BD, refresh, 'automatic');
  const card = JSON.stringify(after.body.value);
  expect(card).toContain('Certification missing');
  expect(card).not.toContain('"approve"');
});

test('a stale card refreshed in Teams reads who decided and when, with no buttons; a current one keeps them', async () => {
  const app = await driveTo(http, 'partner-teams-3', 'submitted');
  await invoke(BD2, { verb: VERBS.refresh, applicationId: app.id, version: app.version }); // BD2 is known by name
  const rejected = await http('POST', `/applications/${app.id}/actions/reject`, BD2, {
    expectedVersion: app.version,
    payload: { reason: 'Certification missing' },
  });
  expect(rejected.status).toBe(200);
  const stale = await invoke(
    BD,
    { verb: VERBS.refresh, applicationId: app.id, version: app.version },
    'automatic',
  );
  const card = JSON.stringify(stale.body.value);
  expect(card).toContain(`Rejected by ${BD2} on`);
  expect(card).not.toContain('Action.Execute');
  const current = await invoke(
    BD,
    { verb: VERBS.refresh, applicationId: app.id, version: rejected.body.version },
    'automatic',
  );
  expect(JSON.stringify(current.body.value)).not.toContain('Rejected by');
});
