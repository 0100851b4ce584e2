import net from 'node:net';
import { NOTIFY_HEADERS, sign } from '../../src/notify/signature';
import { ConnectorStub } from '../support/connectorStub';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { mutate, Random, randomJson, randomString } from '../support/fuzz';
import { startProcess, type Running } from '../support/process';
import { ADMIN, BD, SUPPORT, TOKEN, uid } from '../support/testApp';

// Every endpoint of a development instance (the one with the most routes: the dev channel
// too), run as `npm start` runs it, under 1,500 seeded requests: valid requests with fields
// dropped, replaced or nulled, random JSON, broken JSON, wrong content types, malformed
// %-escapes, wrong or missing credentials. No answer may be a 5xx, none may hang, and the
// process must still be alive and ready at the end. FUZZ_SEED=<n> replays another run.

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = 1500;
const SECRET = 'fuzz-notify-secret-of-at-least-32-characters';
const ACTIONS = [
  'request-qualification-review',
  'invite',
  'reissue-invitation',
  'accept-invitation',
  'update-application',
  'submit',
  'withdraw',
  'approve',
  'reject',
  'fill-decision-sheet',
  'confirm-terms',
  'request-modification',
  'record-contract-signed',
  'activate-acpn',
  'no-such-action',
  '%ZZ',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/vnd.test+json',
  '',
];

let db: TestDatabase;
let stub: ConnectorStub;
let product: Running;

beforeAll(async () => {
  db = tempSqlite();
  stub = await new ConnectorStub().start();
  product = await startProcess({
    DATABASE_URL: db.url,
    WORKFLOW_API_TOKEN: TOKEN,
    NOTIFY_SECRET: SECRET,
    BD_USER_IDS: BD,
    SUPPORT_USER_IDS: SUPPORT,
    ADMIN_USER_IDS: ADMIN,
  });
}, 30_000);
afterAll(async () => {
  product.child.kill('SIGTERM');
  await product.exited;
  await stub.stop();
  await db.drop();
});

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the fuzzer knows of the live instance: real ids and tokens, so checks past the first are reached. */
interface Known {
  applications: { id: string; partner: string }[];
  conversations: { conversationId: string; token: string }[];
  events: Record<string, unknown>[];
}

/** Header values as HTTP carries them (Latin-1, no control characters): fetch refuses others itself. */
function headerSafe(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?').trim() || '?']),
  );
}

async function call(req: Request): Promise<{ status: number; text: string }> {
  const res = await fetch(`${product.url}${req.path}`, {
    method: req.method,
    headers: headerSafe(req.headers),
    body: req.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

async function json(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await call({
    method,
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return JSON.parse(r.text);
}

/** Escaped for a URL; lone surrogates (which encodeURIComponent refuses) become U+FFFD. */
const esc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));

const workflowHeaders = (actor: string) => ({ authorization: `Bearer ${TOKEN}`, 'x-acting-user': actor });

/** Some real state to aim at: applications in a few states, Direct Line conversations, outbox events. */
async function seed(): Promise<Known> {
  const known: Known = { applications: [], conversations: [], events: [] };
  for (let i = 0; i < 4; i++) {
    const partner = `fuzz-partner-${i}`;
    const app = await json(
      'POST',
      '/workflow/v1/applications',
      { companyName: `Fuzz ${i} Co`, mainUid: uid(), contactEmail: `f${i}@fuzz.example.com` },
      workflowHeaders(partner),
    );
    known.applications.push({ id: app.id, partner });
    if (i > 0) {
      await json(
        'POST',
        `/workflow/v1/applications/${app.id}/actions/request-qualification-review`,
        { expectedVersion: 1 },
        workflowHeaders(partner),
      );
    }
    if (i > 1) {
      await json(
        'POST',
        `/workflow/v1/applications/${app.id}/actions/invite`,
        { expectedVersion: 2 },
        workflowHeaders(BD),
      );
    }
    const gen = await json('POST', '/v3/directline/tokens/generate', { user: { id: partner } });
    known.conversations.push({ conversationId: gen.conversationId, token: gen.token });
  }
  // Events as the dispatcher sends them: the fuzzer signs them, mutated or not.
  const history = await json(
    'GET',
    `/workflow/v1/applications/${known.applications[3].id}/history`,
    undefined,
    workflowHeaders(BD),
  );
  for (const h of history) {
    known.events.push({
      eventId: `fuzz-${h.version}`,
      type: h.action,
      applicationId: known.applications[3].id,
      from: h.from,
      to: h.to,
      actor: h.actor,
      occurredAt: h.occurredAt,
    });
  }
  return known;
}

function activity(r: Random): Record<string, unknown> {
  const user = r.pick(['fuzz-user', BD, SUPPORT, ADMIN, 'system:notifier', `fuzz-${r.int(100)}`]);
  return {
    type: r.pick([
      'message',
      'message',
      'invoke',
      'conversationUpdate',
      'event',
      'typing',
      'installationUpdate',
    ]),
    id: `fuzz-${r.int(1e6)}`,
    channelId: r.pick(['webchat', 'msteams', 'emulator', 'directline']),
    serviceUrl: stub.url,
    from: { id: user, name: user, aadObjectId: user },
    recipient: { id: 'bot' },
    conversation: { id: `fuzz-conv-${r.int(20)}`, tenantId: 'tenant-fuzz' },
    text: r.pick(['help', 'start', 'status', 'queue', 'What is ACPN?', randomString(r)]),
    value: r.chance(0.3) ? randomJson(r, 3) : undefined,
    name: r.chance(0.2) ? r.pick(['adaptiveCard/action', 'application/search', randomString(r)]) : undefined,
    membersAdded: r.chance(0.2) ? [{ id: user }, { id: 'bot' }] : undefined,
    channelData: r.chance(0.3) ? randomJson(r, 3) : undefined,
    locale: r.pick(['en-US', 'zh-CN', randomString(r)]),
  };
}

/** A body: mostly a mutated valid one, sometimes anything at all, sometimes not JSON. */
function body(r: Random, valid: () => unknown): string | undefined {
  const roll = r.int(20);
  if (roll === 0) return undefined;
  if (roll === 1) return r.pick(['{', '[1,', '{"a":1}}', 'nul', '\u0000', '', 'null', '"x"', '[]']);
  if (roll === 2) return `${'['.repeat(r.pick([60, 70, 300]))}${']'.repeat(r.pick([60, 70, 300]))}`;
  if (roll < 5) return JSON.stringify(randomJson(r));
  return JSON.stringify(r.chance(0.15) ? valid() : mutate(r, valid()));
}

function segment(r: Random, real: string[]): string {
  return r.chance(0.7) && real.length
    ? r.pick(real)
    : r.pick(['%ZZ', '%', 'x'.repeat(300), '..', esc(randomString(r)).slice(0, 200)]);
}

function nextRequest(r: Random, k: Known): Request {
  const contentType = r.pick(CONTENT_TYPES);
  const base: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const app = r.pick(k.applications);
  const conv = r.pick(k.conversations);
  const appIds = k.applications.map((a) => a.id);
  const convIds = k.conversations.map((c) => c.conversationId);
  const actor = r.pick([
    app.partner,
    BD,
    SUPPORT,
    ADMIN,
    'system:notifier',
    randomString(r).slice(0, 300),
    'stranger',
  ]);
  const wf = () => ({
    ...base,
    ...(r.chance(0.9)
      ? { authorization: r.chance(0.9) ? `Bearer ${TOKEN}` : `Bearer ${randomString(r)}` }
      : {}),
    ...(r.chance(0.92) && actor.trim() ? { 'x-acting-user': esc(actor).slice(0, 400) } : {}),
    ...(r.chance(0.2) ? { 'idempotency-key': r.pick(['k1', 'k2', 'x'.repeat(300), '']) } : {}),
  });
  switch (r.int(16)) {
    case 0:
    case 1:
    case 2:
      return { method: 'POST', path: '/api/messages', headers: base, body: body(r, () => activity(r)) };
    case 3:
    case 4: {
      const text = body(r, () => r.pick(k.events)) ?? '';
      const ts = r.chance(0.9) ? String(Math.floor(Date.now() / 1000)) : randomString(r);
      const headers = r.chance(0.85)
        ? { [NOTIFY_HEADERS.timestamp]: ts, [NOTIFY_HEADERS.signature]: sign(SECRET, ts, text) }
        : {
            [NOTIFY_HEADERS.timestamp]: ts,
            [NOTIFY_HEADERS.signature]: esc(randomString(r)).slice(0, 300),
          };
      return { method: 'POST', path: '/api/notify', headers: { ...base, ...headers }, body: text };
    }
    case 5:
      return {
        method: 'POST',
        path: '/workflow/v1/applications',
        headers: wf(),
        body: body(r, () => ({
          companyName: 'Fuzzed Co',
          mainUid: uid(),
          contactEmail: 'z@fuzz.example.com',
        })),
      };
    case 6:
    case 7: {
      const payload = { expectedVersion: r.pick([0, 1, 2, 3, -1, 1.5]), payload: randomJson(r, 2) };
      return {
        method: 'POST',
        path: `/workflow/v1/applications/${segment(r, appIds)}/actions/${r.pick(ACTIONS)}`,
        headers: wf(),
        body: body(r, () => payload),
      };
    }
    case 8: {
      const query = [
        r.chance(0.5) ? `status=${esc(r.pick(['submitted', 'draft,invited', randomString(r)]))}` : '',
        r.chance(0.5) ? `q=${esc(randomString(r)).slice(0, 500)}` : '',
        r.chance(0.5) ? `limit=${esc(r.pick(['1', '1000', '0', '-5', 'x', '1e3', randomString(r)]))}` : '',
        r.chance(0.1) ? 'status=a&status=b&q=%ZZ' : '',
      ].filter(Boolean);
      const path = r.pick([
        `/workflow/v1/applications?${query.join('&')}`,
        `/workflow/v1/applications/${segment(r, appIds)}`,
        `/workflow/v1/applications/${segment(r, appIds)}/history`,
        '/workflow/v1/openapi.json',
      ]);
      return { method: 'GET', path, headers: wf() };
    }
    case 9: {
      const path = r.pick([
        '/v3/directline/tokens/generate',
        '/v3/directline/tokens/refresh',
        '/v3/directline/conversations',
      ]);
      const auth: Record<string, string> = r.chance(0.7)
        ? { authorization: `Bearer ${r.chance(0.8) ? conv.token : randomString(r)}` }
        : {};
      return {
        method: 'POST',
        path,
        headers: { ...base, ...auth },
        body: r.chance(0.5)
          ? body(r, () => ({ user: { id: `fuzz-dl-${r.int(50)}`, name: 'Fuzz' } }))
          : undefined,
      };
    }
    case 10:
    case 11: {
      const id = segment(r, convIds);
      const auth: Record<string, string> = r.chance(0.85)
        ? { authorization: `Bearer ${r.chance(0.85) ? conv.token : randomString(r)}` }
        : {};
      if (r.chance(0.4)) {
        const watermark = r.pick(['0', '3', '-1', 'x', '1e9', '%ZZ', '']);
        const path = r.pick([
          `/v3/directline/conversations/${id}`,
          `/v3/directline/conversations/${id}/activities?watermark=${watermark}`,
        ]);
        return { method: 'GET', path, headers: auth };
      }
      return {
        method: 'POST',
        path: `/v3/directline/conversations/${id}/activities`,
        headers: { ...base, ...auth },
        body: body(r, () => ({
          type: 'message',
          text: r.pick(['help', 'status', randomString(r)]),
          from: { id: `fuzz-dl-${r.int(5)}` },
        })),
      };
    }
    case 12: {
      const path = `/v3/conversations/${segment(r, convIds)}/activities${r.chance(0.6) ? `/${segment(r, [`${conv.conversationId}|0000000`])}` : ''}`;
      return {
        method: r.pick(['POST', 'PUT', 'DELETE']),
        path,
        headers: base,
        body: body(r, () => ({ type: 'message', text: 'from the bot' })),
      };
    }
    case 13:
      return { method: 'GET', path: r.pick(['/healthz', '/readyz']), headers: {} };
    case 14:
      return {
        method: r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']),
        path: r
          .pick([
            '/',
            '/api/messages',
            '/api/notify',
            '/workflow/v1',
            '/%ZZ',
            '/v3/directline',
            `/${randomString(r).slice(0, 50)}`,
          ])
          .replace(/[^\x21-\x7e]/g, '_'),
        headers: base,
        body: undefined,
      };
    default:
      return {
        method: 'UPGRADE',
        path: r.pick([
          '/v3/directline/conversations/%ZZ/stream',
          `/v3/directline/conversations/${conv.conversationId}/stream?t=${esc(conv.token)}&watermark=%ZZ`,
          `/v3/directline/conversations/${segment(r, convIds)}/stream?t=${esc(randomString(r)).slice(0, 100)}`,
          '/api/messages',
          '/%E0%A4%A',
        ]),
        headers: {},
      };
  }
}

/** A WebSocket upgrade, as a raw request: the status line of the answer. */
function upgrade(path: string): Promise<string> {
  const { port, hostname } = new URL(product.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
      socket.destroy();
    });
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer.split('\r\n')[0]);
    });
    socket.on('error', () => resolve(answer.split('\r\n')[0]));
  });
}

test(`${REQUESTS} seeded requests over every endpoint: no 5xx, no hang, no crash (seed ${SEED})`, async () => {
  const known = await seed();
  const r = new Random(SEED);
  const failures: string[] = [];
  const byRoute = new Map<string, number>();
  for (let i = 0; i < REQUESTS; i++) {
    const req = nextRequest(r, known);
    const route = `${req.method} ${req.path.split('?')[0].replace(/\/[^/]{20,}/g, '/…')}`;
    byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
    try {
      if (req.method === 'UPGRADE') {
        const line = await upgrade(req.path);
        if (!/^HTTP\/1\.1 [1-4]\d\d/.test(line)) failures.push(`#${i} ${route}: answered "${line}"`);
        continue;
      }
      const res = await call(req);
      if (res.status >= 500)
        failures.push(`#${i} ${route}: ${res.status} ${res.text.slice(0, 200)} ${req.body?.slice(0, 3000)}`);
    } catch (err) {
      failures.push(`#${i} ${route}: ${(err as Error).name} ${(err as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
  expect(product.child.exitCode).toBeNull();
  expect((await fetch(`${product.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${product.url}/readyz`)).status).toBe(200);
  // Every kind of endpoint was reached.
  const routes = [...byRoute.keys()].join('\n');
  for (const p of [
    '/api/messages',
    '/api/notify',
    '/workflow/v1/applications',
    '/v3/directline/',
    '/v3/conversations/',
    '/healthz',
    '/readyz',
    'UPGRADE',
  ])
    expect(routes).toContain(p);
}, 120_000);
