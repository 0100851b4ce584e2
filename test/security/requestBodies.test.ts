import { NOTIFY_HEADERS, sign } from '../../src/notify/signature';
import { startTestApp, TOKEN, type TestApp } from '../support/testApp';

// The one JSON body reader every route uses: a body that is not application/json is a 415
// (a web page can POST text/plain to a loopback dev instance without asking first, i.e. CSRF),
// and JSON nested deeper than any real request is a 400 before it is parsed.

const SECRET = 'a-notify-secret-of-at-least-32-characters';
let t: TestApp;
let conversation: { conversationId: string; token: string };

beforeAll(async () => {
  t = await startTestApp({ env: { NOTIFY_SECRET: SECRET, NOTIFY_DISPATCH: 'off' } });
  const gen = await fetch(`${t.url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: 'body-user' } }),
  }).then((r) => r.json() as Promise<{ conversationId: string; token: string }>);
  conversation = gen;
});
afterAll(() => t.stop());

interface Target {
  name: string;
  method: string;
  path: () => string;
  headers?: (body: string) => Record<string, string>;
}

const workflow = { authorization: `Bearer ${TOKEN}`, 'x-acting-user': 'body-partner' };
const targets: Target[] = [
  { name: '/api/messages', method: 'POST', path: () => '/api/messages' },
  {
    name: '/api/notify',
    method: 'POST',
    path: () => '/api/notify',
    headers: (body) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return { [NOTIFY_HEADERS.timestamp]: ts, [NOTIFY_HEADERS.signature]: sign(SECRET, ts, body) };
    },
  },
  { name: 'register', method: 'POST', path: () => '/workflow/v1/applications', headers: () => workflow },
  {
    name: 'action',
    method: 'POST',
    path: () => '/workflow/v1/applications/some-id/actions/submit',
    headers: () => workflow,
  },
  { name: 'tokens/generate', method: 'POST', path: () => '/v3/directline/tokens/generate' },
  {
    name: 'Direct Line activities',
    method: 'POST',
    path: () => `/v3/directline/conversations/${conversation.conversationId}/activities`,
    headers: () => ({ authorization: `Bearer ${conversation.token}` }),
  },
  {
    name: 'connector send',
    method: 'POST',
    path: () => `/v3/conversations/${conversation.conversationId}/activities`,
  },
  {
    name: 'connector update',
    method: 'PUT',
    path: () => `/v3/conversations/${conversation.conversationId}/activities/x`,
  },
];

async function send(target: Target, body: string, contentType: string) {
  const res = await fetch(`${t.url}${target.path()}`, {
    method: target.method,
    headers: { 'content-type': contentType, ...target.headers?.(body) },
    body,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

test.each(targets.map((x) => [x.name, x] as const))(
  '%s: a text/plain body is 415 unsupported_media_type',
  async (_name, target) => {
    const r = await send(target, JSON.stringify({ type: 'message', text: 'hi' }), 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('unsupported_media_type');
    expect(r.body.error.message).toContain('application/json');
  },
);

test.each(targets.map((x) => [x.name, x] as const))(
  '%s: JSON nested 5,000 deep is 400 too_deep',
  async (_name, target) => {
    const body = `{"type":"message","channelData":${nested(5000)}}`;
    const r = await send(target, body, 'application/json');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('json_too_deep');
  },
);

test('JSON nested as deep as real cards are is still read, with a charset', async () => {
  const r = await send(
    targets[0],
    JSON.stringify({ type: 'message', channelData: JSON.parse(nested(30)) }),
    'application/json; charset=utf-8',
  );
  // Past the body reader: the activity check names the first missing field.
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('invalid_activity');
});

test('the Direct Line conversation that was sent a deep body still works', async () => {
  const res = await fetch(
    `${t.url}/v3/directline/conversations/${conversation.conversationId}/activities?watermark=0`,
    { headers: { authorization: `Bearer ${conversation.token}` } },
  );
  expect(res.status).toBe(200);
});
