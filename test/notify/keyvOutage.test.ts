import { eventOf, postSigned } from '../support/outbox';
import { ChatUser, ConnectorStub } from '../support/connectorStub';
import { RedisServer, hasRedisServer, sparePort } from '../support/redisServer';
import { startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// Redis (the Keyv store) unreachable from the start, or killed mid-run and started again:
// every turn and webhook is answered within a bounded time, each use fails the way it was
// decided to (the turn goes through, the webhook asks to be retried), /readyz says which
// dependency is down, and the outage is logged once when it starts and once when it ends.

const SECRET = 'a-notify-secret-of-at-least-32-characters';

interface Running {
  t: TestApp;
  stub: ConnectorStub;
  lines: string[];
}

async function start(keyvUrl: string): Promise<Running> {
  const lines: string[] = [];
  const stub = await new ConnectorStub().start();
  const t = await startTestApp({
    env: {
      KEYV_URL: keyvUrl,
      KEYV_TIMEOUT_MS: '300',
      NOTIFY_DISPATCH: 'off',
      NOTIFY_SECRET: SECRET,
      LOG_LEVEL: 'info',
    },
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  return { t, stub, lines };
}

async function stop(r: Running) {
  await r.t.stop();
  await r.stub.stop();
}

/** A real outbox event of a fresh application, signed as the dispatcher signs it. */
async function signedEvent(t: TestApp) {
  const http = workflowHttp(t.url);
  const partner = `partner-outage-${uid()}`;
  const reg = await http('POST', '/applications', partner, {
    companyName: 'Outage Co',
    mainUid: uid(),
    contactEmail: 'o@outage.example.com',
  });
  const row = await t.app.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('application_id', '=', reg.body.id)
    .executeTakeFirstOrThrow();
  const body = JSON.stringify(eventOf(row));
  return () => {
    return postSigned(t.url, SECRET, body, 3000);
  };
}

async function turn(user: ChatUser) {
  // ChatUser throws on a non-2xx answer; the timer turns a hang into a failure.
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('turn hung')), 3000);
  });
  try {
    const replies = await Promise.race([user.say('help'), hung]);
    expect(replies.length).toBeGreaterThan(0);
  } finally {
    clearTimeout(timer);
  }
}

async function readiness(t: TestApp) {
  const res = await fetch(`${t.url}/readyz`, { signal: AbortSignal.timeout(3000) });
  return { status: res.status, body: (await res.json()) as any };
}

const count = (lines: string[], msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}"`)).length;

test('KEYV_URL to a closed port: turns go through, webhooks get 503 to retry, /readyz says keyv is down', async () => {
  const r = await start(`redis://127.0.0.1:${await sparePort()}`);
  try {
    const user = new ChatUser(r.t.url, r.stub, 'outage-user-1');
    for (let i = 0; i < 5; i++) await turn(user);

    const notify = await (await signedEvent(r.t))();
    expect(notify.status).toBe(503);
    expect(Number(notify.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await notify.json()) as any).error.code).toBe('store_unavailable');

    const ready = await readiness(r.t);
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({
      sql: expect.objectContaining({ ok: true }),
      keyv: expect.objectContaining({ ok: false }),
    });
    expect((await fetch(`${r.t.url}/healthz`)).status).toBe(200);
    expect(count(r.lines, 'keyv store unavailable')).toBe(1);
  } finally {
    await stop(r);
  }
});

(hasRedisServer ? test : test.skip)(
  'Redis killed mid-run and started again: bounded while down, logged once each way, back to normal',
  async () => {
    const redis = await new RedisServer(await sparePort()).start();
    const r = await start(redis.url);
    try {
      const user = new ChatUser(r.t.url, r.stub, 'outage-user-2');
      await turn(user);
      expect((await readiness(r.t)).status).toBe(200);
      expect((await (await signedEvent(r.t))()).status).toBe(200);

      await redis.kill();
      for (let i = 0; i < 5; i++) await turn(user);
      const retried = await signedEvent(r.t);
      expect((await retried()).status).toBe(503);
      expect((await readiness(r.t)).body.checks.keyv.ok).toBe(false);

      await redis.start();
      let ready = await readiness(r.t);
      for (let i = 0; i < 60 && ready.status !== 200; i++) {
        await new Promise((res) => setTimeout(res, 100));
        ready = await readiness(r.t);
      }
      expect(ready.status).toBe(200);
      // The dispatcher's retry of the refused event now goes through.
      expect((await retried()).status).toBe(200);
      await turn(user);
      expect(count(r.lines, 'keyv store unavailable')).toBe(1);
      expect(count(r.lines, 'keyv store recovered')).toBe(1);
    } finally {
      await stop(r);
      await redis.kill();
    }
  },
);
