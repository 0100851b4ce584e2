import net from 'node:net';
import { DirectLineChannel } from '../../src/devchat/directLineChannel';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { startProcess, type Running } from '../support/process';
import { TOKEN } from '../support/testApp';

// The dev channel under a careless or hostile local client: nothing it sends kills the
// process, fills the heap or breaks a conversation; each bad request is a 4xx.

let db: TestDatabase;
let product: Running;

beforeAll(async () => {
  db = tempSqlite();
  product = await startProcess({ DATABASE_URL: db.url, WORKFLOW_API_TOKEN: TOKEN });
});
afterAll(async () => {
  product.child.kill('SIGTERM');
  await product.exited;
  await db.drop();
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${product.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A raw WebSocket upgrade request, as a client that does not escape its URL sends it. */
function upgrade(path: string): Promise<string> {
  const { port, hostname } = new URL(product.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', () => resolve(answer));
  });
}

test('a malformed %-escape in the stream URL is refused and the process lives on', async () => {
  for (const path of [
    '/v3/directline/conversations/%ZZ/stream',
    '/v3/directline/conversations/%E0%A4%A/stream?t=x',
    '/v3/directline/conversations/abc/stream?t=%ZZ',
  ]) {
    const answer = await upgrade(path);
    expect(answer).toMatch(/^HTTP\/1.1 4\d\d/);
  }
  expect((await fetch(`${product.url}/healthz`)).status).toBe(200);
  expect(product.child.exitCode).toBeNull();
});

test('tokens/generate refuses an oversized user name or id, naming the field', async () => {
  const name = await call(
    'POST',
    '/v3/directline/tokens/generate',
    JSON.stringify({ user: { id: 'big-name', name: 'x'.repeat(30_000) } }),
  );
  expect(name.status).toBe(400);
  expect(name.body.error.message).toContain('user.name');
  const id = await call(
    'POST',
    '/v3/directline/tokens/generate',
    JSON.stringify({ user: { id: 'y'.repeat(1000) } }),
  );
  expect(id.status).toBe(400);
  expect(id.body.error.message).toContain('user.id');
  const wrongType = await call('POST', '/v3/directline/tokens/generate', JSON.stringify({ user: 'me' }));
  expect(wrongType.status).toBe(400);
});

test('the connector routes answer an empty, null or non-activity body with 400', async () => {
  const gen = await call(
    'POST',
    '/v3/directline/tokens/generate',
    JSON.stringify({ user: { id: 'empty-u' } }),
  );
  const conv = gen.body.conversationId as string;
  const routes: [string, string][] = [
    ['POST', `/v3/conversations/${conv}/activities`],
    ['POST', `/v3/conversations/${conv}/activities/some-id`],
    ['PUT', `/v3/conversations/${conv}/activities/some-id`],
  ];
  for (const [method, path] of routes) {
    for (const body of [undefined, '', 'null', '"text"', '[]', '{"type":5}']) {
      const r = await call(method, path, body);
      expect([method, path, body, r.status]).toEqual([method, path, body, 400]);
      expect(r.body.error.code).toBe('invalid_activity');
    }
  }
  const dl = await call('POST', `/v3/directline/conversations/${conv}/activities`, 'null', {
    authorization: `Bearer ${gen.body.token}`,
  });
  expect(dl.status).toBe(400);
  expect((await fetch(`${product.url}/healthz`)).status).toBe(200);
});

describe('DirectLineChannel keeps conversations bounded', () => {
  test('in number: the least recently used is evicted first', () => {
    const channel = new DirectLineChannel({ maxConversations: 3, maxIdleMs: 60_000 });
    const ids = [1, 2, 3].map(() => channel.generate().conversationId);
    channel.get(ids[0]); // used again: now the newest
    const fourth = channel.generate();
    expect(channel.get(ids[1])).toBeUndefined();
    expect(channel.get(ids[0])).toBeDefined();
    expect(channel.get(ids[2])).toBeDefined();
    expect(channel.get(fourth.conversationId)).toBeDefined();
    expect(channel.size).toBe(3);
    // Its token is forgotten with it.
    expect(channel.byBearer(`Bearer ${fourth.token}`)).toBeDefined();
  });

  test('in age: a conversation idle longer than the token lives is gone', () => {
    let now = 1_000_000;
    const channel = new DirectLineChannel({ maxConversations: 100, maxIdleMs: 3_600_000, now: () => now });
    const old = channel.generate();
    now += 3_600_001;
    const fresh = channel.generate();
    expect(channel.get(old.conversationId)).toBeUndefined();
    expect(channel.byBearer(`Bearer ${old.token}`)).toBeUndefined();
    expect(channel.get(fresh.conversationId)).toBeDefined();
  });

  test('in length: the oldest activities are dropped, watermarks still count from the start', () => {
    const channel = new DirectLineChannel({ maxConversations: 10, maxIdleMs: 60_000, maxActivities: 5 });
    const c = channel.get(channel.generate().conversationId)!;
    for (let i = 0; i < 12; i++) channel.append(c, { type: 'message', text: `m${i}` });
    const all = channel.since(c, 0);
    expect(all.watermark).toBe('12');
    expect(all.activities.map((a) => a.text)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    expect(channel.since(c, 10).activities.map((a) => a.text)).toEqual(['m10', 'm11']);
    const last = all.activities[4];
    expect(channel.update(c, last.id!, { text: 'edited' })).toBe(true);
    expect(channel.since(c, 11).activities.map((a) => a.text)).toEqual(['edited']);
  });
});
