import { eventOf, postSigned } from '../support/outbox';
import { ChatUser, ConnectorStub, textOf } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { BD, BD2, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// The same signed webhook in flight more than once (a dispatcher retry beside the original,
// a second dispatcher), a retry after a partial delivery, and a throttling channel: each
// person gets each event's message once, and the webhook answers within the dispatcher's
// 10 s timeout. The dispatcher is off: the test alone decides what reaches /api/notify.

const SECRET = 'a-notify-secret-of-at-least-32-characters';
let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;
let bd: ChatUser;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({ env: { NOTIFY_DISPATCH: 'off', NOTIFY_SECRET: SECRET } });
  http = workflowHttp(t.url);
  bd = new ChatUser(t.url, stub, BD, 'conv-once-bd');
  await bd.say('help');
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});
afterEach(() => {
  stub.latencyMs = 0;
});

/**
 * A partner with a conversation and an application BD took on, approved by a second BD:
 * the approve event tells both the partner and BD (with BD's card). Returned ready to sign.
 */
async function approved(name: string) {
  const partner = new ChatUser(t.url, stub, `partner-${name}`);
  await partner.say('help');
  const app = await driveTo(http, partner.userId, 'submitted', BD, { companyName: `${name} Co` });
  const approve = await http('POST', `/applications/${app.id}/actions/approve`, BD2, {
    expectedVersion: app.version,
  });
  expect(approve.status).toBe(200);
  const row = await t.app.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('application_id', '=', app.id)
    .where('type', '=', 'approve')
    .executeTakeFirstOrThrow();
  const body = JSON.stringify(eventOf(row));
  const send = async () => {
    // The dispatcher gives up after 10 s: every answer must come before.
    const res = await postSigned(t.url, SECRET, body, 9000);
    return {
      status: res.status,
      body: (await res.json()) as any,
      retryAfter: res.headers.get('retry-after'),
    };
  };
  return { partner, app, eventId: row.id, send };
}

const posts = (conversationId: string, text: string) =>
  stub
    .for(conversationId)
    .filter((r) => r.method === 'POST' && textOf([r.activity]).includes(text))
    .map((r) => r.activity);

test('10 copies of one signed webhook at once: exactly one message to each person', async () => {
  const e = await approved('TenCopies');
  stub.latencyMs = 150; // sends take a while, so the copies overlap
  const answers = await Promise.all(Array.from({ length: 10 }, () => e.send()));
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  // The others were told it is a duplicate, or (still in flight) to come back: never a second send.
  for (const a of answers.filter((x) => x.status !== 200)) {
    expect([409, 503]).toContain(a.status);
    expect(['duplicate_event', 'event_in_progress']).toContain(a.body.error.code);
  }
  expect(posts(e.partner.conversationId, 'Congratulations')).toHaveLength(1);
  expect(posts(bd.conversationId, 'TenCopies Co was approved')).toHaveLength(1);
  // Once done, any further copy is a duplicate.
  expect((await e.send()).body.error.code).toBe('duplicate_event');
});

test('a retried event whose BD card was already posted updates that card instead of posting a second', async () => {
  const e = await approved('RetriedCard');
  // The partner's channel refuses for a while: the BD's card goes out, the event must be retried.
  stub.failNext(e.partner.conversationId, 429, 100, 60);
  const first = await e.send();
  expect(first.status).toBe(503);
  const cards = posts(bd.conversationId, 'RetriedCard Co was approved');
  expect(cards).toHaveLength(1);
  // As if the process had died between the channel taking the card and its delivery being
  // recorded: the record says "sending", claimed long ago.
  await t.app.store.db
    .updateTable('notification_deliveries')
    .set({ status: 'sending', claimed_until: new Date(Date.now() - 3_600_000).toISOString() })
    .where('event_id', '=', e.eventId)
    .where('user_id', '=', BD)
    .execute();
  stub.failNext(e.partner.conversationId, 429, 0);

  const retried = await e.send();
  expect(retried.status).toBe(200);
  expect(posts(bd.conversationId, 'RetriedCard Co was approved')).toHaveLength(1);
  const updates = stub
    .for(bd.conversationId)
    .filter((r) => r.method === 'PUT' && r.activity.id === cards[0].id);
  expect(updates.length).toBeGreaterThan(0);
  expect(posts(e.partner.conversationId, 'Congratulations')).toHaveLength(1);
});

test('a channel asking to wait longer than the webhook may take: 503 with its Retry-After, a couple of requests, not 16', async () => {
  const e = await approved('LongThrottle');
  stub.failNext(e.partner.conversationId, 429, 100, 30);
  const before = stub.attempts.length;
  const started = Date.now();
  const r = await e.send();
  expect(r.status).toBe(503);
  expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(30);
  expect(Date.now() - started).toBeLessThan(9000);
  const tried = stub.attempts.slice(before).filter((a) => a.conversationId === e.partner.conversationId);
  expect(tried.length).toBeLessThanOrEqual(2);
  stub.failNext(e.partner.conversationId, 429, 0);
});

test('short 429s are waited out in one policy: each request once more at most per wait, the message once', async () => {
  const e = await approved('ShortThrottle');
  stub.failNext(e.partner.conversationId, 429, 2, 1);
  const before = stub.attempts.length;
  const r = await e.send();
  expect(r.status).toBe(200);
  const tried = stub.attempts.slice(before).filter((a) => a.conversationId === e.partner.conversationId);
  expect(tried.map((a) => a.status)).toEqual([429, 429, 200]);
  expect(posts(e.partner.conversationId, 'Congratulations')).toHaveLength(1);
});

test('a copy arriving while a slow send outlives the lease waits: the holder renews its claims', async () => {
  // A second app with a short lease (NOTIFY_LEASE_MS=500) and a channel taking 1.5 s to answer.
  const slow = await startTestApp({
    env: { NOTIFY_DISPATCH: 'off', NOTIFY_SECRET: SECRET, NOTIFY_LEASE_MS: '500' },
  });
  const slowStub = await new ConnectorStub().start();
  try {
    const slowHttp = workflowHttp(slow.url);
    const partner = new ChatUser(slow.url, slowStub, 'partner-slow-lease');
    await partner.say('help');
    const reg = await slowHttp('POST', '/applications', partner.userId, {
      companyName: 'Slow Lease Co',
      mainUid: uid(),
      contactEmail: 's@slow.example.com',
    });
    await slowHttp(
      'POST',
      `/applications/${reg.body.id}/actions/request-qualification-review`,
      partner.userId,
      {
        expectedVersion: 1,
      },
    );
    await slowHttp('POST', `/applications/${reg.body.id}/actions/invite`, BD, { expectedVersion: 2 });
    const row = await slow.app.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('application_id', '=', reg.body.id)
      .where('type', '=', 'invite')
      .executeTakeFirstOrThrow();
    const body = JSON.stringify(eventOf(row));
    const send = () => {
      return postSigned(slow.url, SECRET, body, 9000).then((r) => r.status);
    };
    slowStub.latencyMs = 1500;
    const first = send();
    await new Promise((r) => setTimeout(r, 200));
    const statuses = await Promise.all([first, send()]);
    expect(statuses).toEqual([200, 409]);
    const invitations = slowStub
      .for(partner.conversationId)
      .filter((r) => r.method === 'POST' && textOf([r.activity]).includes('issued your invitation'));
    expect(invitations).toHaveLength(1);
  } finally {
    await slow.stop();
    await slowStub.stop();
  }
});
