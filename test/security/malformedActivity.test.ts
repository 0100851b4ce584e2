import { ConnectorStub } from '../support/connectorStub';
import { startTestApp, type TestApp } from '../support/testApp';

// POST /api/messages checks the activity's shape before the adapter sees it: each malformed
// activity is a 400 naming the field, answered at once (no 500, no 11 s wait while the adapter
// looks up a token service for a missing serviceUrl), and nothing reaches the bot.

let t: TestApp;
let stub: ConnectorStub;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

const valid = () => ({
  type: 'message',
  id: `m-${Math.random()}`,
  channelId: 'webchat',
  serviceUrl: stub.url,
  from: { id: 'malformed-user' },
  recipient: { id: 'bot' },
  conversation: { id: 'malformed-conversation' },
  text: 'help',
});

async function post(body: unknown) {
  const res = await fetch(`${t.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    // A hang fails the test instead of stalling it.
    signal: AbortSignal.timeout(3000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function without(key: string) {
  const a: Record<string, unknown> = valid();
  delete a[key];
  return a;
}

const cases: [string, () => unknown, string][] = [
  ['no channelId', () => without('channelId'), 'channelId'],
  ['no conversation', () => without('conversation'), 'conversation'],
  ['conversation {}', () => ({ ...valid(), conversation: {} }), 'conversation.id'],
  ['conversation null', () => ({ ...valid(), conversation: null }), 'conversation'],
  ['conversation "c"', () => ({ ...valid(), conversation: 'c' }), 'conversation'],
  ['serviceUrl 5', () => ({ ...valid(), serviceUrl: 5 }), 'serviceUrl'],
  ['no serviceUrl', () => without('serviceUrl'), 'serviceUrl'],
  ['serviceUrl not http(s)', () => ({ ...valid(), serviceUrl: 'file:///etc/passwd' }), 'serviceUrl'],
  ['no from', () => without('from'), 'from'],
  ['from without id', () => ({ ...valid(), from: { name: 'x' } }), 'from.id'],
  ['no type', () => without('type'), 'type'],
  ['type 7', () => ({ ...valid(), type: 7 }), 'type'],
  ['an array', () => [valid()], '(body)'],
  ['a string', () => 'hello', '(body)'],
  ['locale true', () => ({ ...valid(), locale: true }), 'locale'],
  ['an invoke without a name', () => ({ ...valid(), type: 'invoke' }), 'name'],
  ['an invoke named null', () => ({ ...valid(), type: 'invoke', name: null }), 'name'],
];

test.each(cases)('%s is a 400 naming the field, and the bot never sees it', async (_name, make, field) => {
  const refsBefore = await t.app.store.db.selectFrom('conversation_refs').selectAll().execute();
  const r = await post(make());
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('invalid_activity');
  expect(r.body.error.message).toContain(field);
  expect(r.body.error.details.fields[0].field).toBe(field);
  const refsAfter = await t.app.store.db.selectFrom('conversation_refs').selectAll().execute();
  expect(refsAfter).toEqual(refsBefore);
  expect(stub.received).toEqual([]);
});

test('a well-formed activity still reaches the bot', async () => {
  const r = await post(valid());
  expect(r.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(stub.for('malformed-conversation').length).toBeGreaterThan(0);
});

test('an invoke the bot has no handler for is a 400 unsupported_invoke, not a 501', async () => {
  const r = await post({ ...valid(), type: 'invoke', name: 'composeExtension/queryLink', value: {} });
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('unsupported_invoke');
});
