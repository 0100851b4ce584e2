import { NOTIFY_HEADERS, sign, verify } from '../../src/notify/signature';
import { ChatUser, ConnectorStub } from '../support/connectorStub';
import { eventOf, outboxDrained } from '../support/outbox';
import { BD, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// The webhook's door: signature over timestamp + "." + body, a fresh timestamp, no replays.
// The dispatcher is off here so the test alone decides what reaches /api/notify.

const SECRET = 'a-notify-secret-of-at-least-32-characters';
const PREVIOUS = 'the-previous-notify-secret-still-accepted';
let t: TestApp;
let stub: ConnectorStub;
let bd: ChatUser;
let event: Record<string, unknown>;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({
    env: { NOTIFY_DISPATCH: 'off', NOTIFY_SECRET: SECRET, NOTIFY_SECRET_PREVIOUS: PREVIOUS },
  });
  bd = new ChatUser(t.url, stub, BD, 'conv-webhook-bd');
  await bd.say('help');
  const http = workflowHttp(t.url);
  const reg = await http('POST', '/applications', 'partner-webhook', {
    companyName: 'Webhook Co',
    mainUid: uid(),
    contactEmail: 'w@webhook.example.com',
  });
  await http('POST', `/applications/${reg.body.id}/actions/request-qualification-review`, 'partner-webhook', {
    expectedVersion: 1,
    payload: {},
  });
  const row = await t.app.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('application_id', '=', reg.body.id)
    .where('type', '=', 'request-qualification-review')
    .executeTakeFirstOrThrow();
  event = eventOf(row);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

const now = () => String(Math.floor(Date.now() / 1000));
const sent = () => stub.for(bd.conversationId).filter((r) => r.method === 'POST').length;

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(`${t.url}/api/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

function signed(body: string, secret = SECRET, timestamp = now()) {
  return { [NOTIFY_HEADERS.timestamp]: timestamp, [NOTIFY_HEADERS.signature]: sign(secret, timestamp, body) };
}

test('refused with nothing sent: no signature, wrong secret, old timestamp, tampered body', async () => {
  const body = JSON.stringify(event);
  const before = sent();
  const old = String(Math.floor(Date.now() / 1000) - 600);
  const tampered = JSON.stringify({ ...event, to: 'acpn_active' });
  const cases = [
    ['no signature', await post(body, {})],
    ['wrong secret', await post(body, signed(body, 'not-the-secret-not-the-secret-xx'))],
    ['old timestamp', await post(body, signed(body, SECRET, old))],
    ['future timestamp', await post(body, signed(body, SECRET, String(Number(now()) + 600)))],
    ['tampered body', await post(tampered, signed(body))],
    [
      'signature from another timestamp',
      await post(body, { ...signed(body), [NOTIFY_HEADERS.timestamp]: now() + '1' }),
    ],
  ] as const;
  for (const [name, r] of cases) {
    expect([name, r.status]).toEqual([name, 401]);
  }
  expect(cases[2][1].body.error.message).toContain('stale_timestamp');
  expect(cases[4][1].body.error.message).toContain('bad_signature');
  expect(sent()).toBe(before);
});

test('a valid event is delivered once; the same event id again is refused as a duplicate', async () => {
  const body = JSON.stringify(event);
  const before = sent();
  const first = await post(body, signed(body));
  expect(first.status).toBe(200);
  expect(sent()).toBe(before + 1);

  const replay = await post(body, signed(body)); // even re-signed with a fresh timestamp
  expect(replay.status).toBe(409);
  expect(replay.body.error.code).toBe('duplicate_event');
  expect(sent()).toBe(before + 1);
});

test('the previous secret still works during a rotation; a bad body is 400 after a good signature', async () => {
  const other = JSON.stringify({ ...event, eventId: 'rotation-check' });
  expect((await post(other, signed(other, PREVIOUS))).status).toBe(200);
  const { eventId: _dropped, ...noId } = event;
  const bad = JSON.stringify(noId);
  const r = await post(bad, signed(bad));
  expect(r.status).toBe(400);
  expect(r.body.error.message).toContain('eventId');
  // A type this version has no words for is acknowledged, not refused and retried for ever.
  const future = JSON.stringify({ ...event, eventId: 'future-type', type: 'escalate-to-legal' });
  expect((await post(future, signed(future))).status).toBe(200);
});

test('a signed event whose occurredAt is not a date is a 400 naming it, with nothing sent', async () => {
  const before = sent();
  for (const occurredAt of ['garbage', '', 42, '2026-13-45T99:00:00Z', null]) {
    const body = JSON.stringify({ ...event, eventId: `bad-date-${String(occurredAt)}`, occurredAt });
    const r = await post(body, signed(body));
    expect([occurredAt, r.status]).toEqual([occurredAt, 400]);
    expect(r.body.error.message).toContain('occurredAt');
  }
  expect(sent()).toBe(before);
});

test('other header spellings are read, and still need the right HMAC', async () => {
  const body = JSON.stringify({ ...event, eventId: 'other-headers' });
  const ts = now();
  const hex = sign(SECRET, ts, body).slice('sha256='.length);
  const ok = await post(body, { 'X-Webhook-Timestamp': ts, 'X-Webhook-Signature': hex });
  expect(ok.status).toBe(200);
  const forged = await post(JSON.stringify({ ...event, eventId: 'forged' }), {
    'X-Webhook-Timestamp': ts,
    'X-Webhook-Signature': hex,
  });
  expect(forged.status).toBe(401);
});

describe('verify', () => {
  const body = '{"eventId":"x"}';
  const at = 1_800_000_000;
  const headers = (sig: string, ts = String(at)) => ({
    [NOTIFY_HEADERS.timestamp]: ts,
    [NOTIFY_HEADERS.signature]: sig,
  });

  test('accepts hex with or without the sha256= prefix, and base64', () => {
    const hex = sign(SECRET, String(at), body).slice('sha256='.length);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    for (const sig of [`sha256=${hex}`, hex, b64]) {
      expect(verify(headers(sig), body, [SECRET], at * 1000)).toEqual({ ok: true });
    }
  });

  test('refuses a timestamp more than five minutes away, either way', () => {
    const sig = sign(SECRET, String(at), body);
    expect(verify(headers(sig), body, [SECRET], (at + 301) * 1000).ok).toBe(false);
    expect(verify(headers(sig), body, [SECRET], (at - 301) * 1000).ok).toBe(false);
    expect(verify(headers(sig), body, [SECRET], (at + 299) * 1000).ok).toBe(true);
  });
});

test('a dispatcher in another process reaches the bot through the signed webhook (NOTIFY_URL)', async () => {
  // The bot above dispatches nothing itself; a second instance on the same database only
  // dispatches, and posts each event to the first one's /api/notify.
  const dispatcherOnly = await startTestApp({
    db: t.db,
    env: { NOTIFY_URL: `${t.url}/api/notify`, NOTIFY_SECRET: SECRET, NOTIFY_POLL_MS: '20' },
  });
  try {
    const http = workflowHttp(t.url);
    const before = stub.for(bd.conversationId).length;
    const reg = await http('POST', '/applications', 'partner-webhook-2', {
      companyName: 'Webhook Two Co',
      mainUid: uid(),
      contactEmail: 'w2@webhook.example.com',
    });
    await http(
      'POST',
      `/applications/${reg.body.id}/actions/request-qualification-review`,
      'partner-webhook-2',
      {
        expectedVersion: 1,
        payload: {},
      },
    );
    await outboxDrained(t.app.store.db, reg.body.id);
    const told = stub
      .for(bd.conversationId)
      .slice(before)
      .map((r) => r.activity.text ?? '');
    expect(told.filter((text) => text.includes('Webhook Two Co'))).toHaveLength(1);
  } finally {
    await dispatcherOnly.stop();
  }
});
