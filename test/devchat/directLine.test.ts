import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/testApp';

// The local Direct Line 3.0 surface over HTTP and WebSocket, as Web Chat uses it.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { MAX_BODY_BYTES: '8192' } });
});
afterAll(async () => t.stop());

const DL = () => `${t.url}/v3/directline`;

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${DL()}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function start(userId: string) {
  const gen = await call('POST', '/tokens/generate', 'any-dev-secret', {
    user: { id: userId, name: userId },
  });
  expect(gen.status).toBe(200);
  const started = await call('POST', '/conversations', gen.body.token);
  expect(started.status).toBe(201);
  return started.body as { conversationId: string; token: string; streamUrl: string };
}

async function poll(
  c: { conversationId: string; token: string },
  watermark: number,
  until: (a: any[]) => boolean,
) {
  for (let i = 0; i < 100; i++) {
    const r = await call(
      'GET',
      `/conversations/${c.conversationId}/activities?watermark=${watermark}`,
      c.token,
    );
    if (until(r.body.activities)) return r.body as { activities: any[]; watermark: string };
    await new Promise((res) => setTimeout(res, 30));
  }
  throw new Error('no such activities');
}

test('start: the bot sees the user join and welcomes them; every activity has an id and a server timestamp', async () => {
  const c = await start('dl-partner-1');
  expect(c.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?t=/);
  const { activities, watermark } = await poll(c, 0, (a) => a.length >= 1);
  expect(activities[0].text).toContain('Welcome');
  expect(activities[0].from.role).toBe('bot');
  expect(activities[0].id).toBeTruthy();
  expect(Date.parse(activities[0].timestamp)).toBeGreaterThan(Date.now() - 60_000);
  expect(watermark).toBe('1');
});

test("send: the user's activity is echoed with its clientActivityID, replies keep replyToId, watermarks page", async () => {
  const c = await start('dl-partner-2');
  await poll(c, 0, (a) => a.length >= 1);
  const sent = await call('POST', `/conversations/${c.conversationId}/activities`, c.token, {
    type: 'message',
    text: 'What is ACPN?',
    from: { id: 'dl-partner-2' },
    channelData: { clientActivityID: 'client-42' },
  });
  expect(sent.status).toBe(200);
  const page = await poll(c, 1, (a) => a.some((x) => x.from.role === 'bot'));
  const echo = page.activities[0];
  expect(echo.id).toBe(sent.body.id);
  expect(echo.channelData.clientActivityID).toBe('client-42');
  expect(echo.from.id).toBe('dl-partner-2');
  const reply = page.activities.find((a) => a.from.role === 'bot');
  expect(reply.replyToId).toBe(sent.body.id);
  // The section's title, not its id tag (issue 13).
  expect(reply.text).toContain('FAQ Q5: What is ACPN');
  // Nothing new after the last watermark.
  const after = await call(
    'GET',
    `/conversations/${c.conversationId}/activities?watermark=${page.watermark}`,
    c.token,
  );
  expect(after.body.activities).toEqual([]);
});

test('the stream pushes activities; reconnecting with a watermark sends what was missed', async () => {
  const c = await start('dl-partner-3');
  const first = await poll(c, 0, (a) => a.length >= 1);
  const ws = new WebSocket(c.streamUrl);
  const pushed: any[] = [];
  ws.on('message', (data) => {
    const text = data.toString();
    if (text) pushed.push(...JSON.parse(text).activities);
  });
  await new Promise((r) => ws.once('open', r));
  await call('POST', `/conversations/${c.conversationId}/activities`, c.token, {
    type: 'message',
    text: 'help',
    from: { id: 'dl-partner-3' },
  });
  for (let i = 0; i < 100 && !pushed.some((a) => a.from.role === 'bot' && a.replyToId); i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(pushed.map((a) => a.from.role)).toEqual(expect.arrayContaining(['user', 'bot']));
  ws.close();

  // While disconnected, the bot says more; the reconnect URL plus the watermark catch up.
  await call('POST', `/conversations/${c.conversationId}/activities`, c.token, {
    type: 'message',
    text: 'status',
    from: { id: 'dl-partner-3' },
  });
  const again = await call('GET', `/conversations/${c.conversationId}?watermark=${first.watermark}`, c.token);
  expect(again.status).toBe(200);
  const ws2 = new WebSocket(`${again.body.streamUrl}&watermark=${first.watermark}`);
  const backlog = await new Promise<any[]>((resolve) =>
    ws2.once('message', (data) => resolve(JSON.parse(data.toString()).activities)),
  );
  ws2.close();
  expect(backlog.map((a) => a.text)).toEqual(expect.arrayContaining(['help', 'status']));
});

test('refused: unknown conversation 404, another conversation\'s token 403, oversized activity 413, no "from" 400', async () => {
  const a = await start('dl-partner-4');
  const b = await start('dl-partner-5');
  expect((await call('GET', '/conversations/nope/activities', a.token)).status).toBe(404);
  expect(
    (await call('POST', '/conversations/nope/activities', a.token, { type: 'message', text: 'x' })).status,
  ).toBe(404);
  expect(
    (
      await call('POST', `/conversations/${a.conversationId}/activities`, b.token, {
        type: 'message',
        text: 'x',
      })
    ).status,
  ).toBe(403);
  const huge = await call('POST', `/conversations/${a.conversationId}/activities`, a.token, {
    type: 'message',
    text: 'x'.repeat(20_000),
    from: { id: 'dl-partner-4' },
  });
  expect(huge.status).toBe(413);
  const anonymous = (await fetch(`${DL()}/tokens/generate`, { method: 'POST' }).then((r) => r.json())) as any;
  const s = await call('POST', '/conversations', anonymous.token);
  const noFrom = await call('POST', `/conversations/${s.body.conversationId}/activities`, s.body.token, {
    type: 'message',
    text: 'hi',
  });
  expect(noFrom.status).toBe(400);
  const ws = new WebSocket(`${a.streamUrl.replace(/t=[^&]+/, 't=wrong')}`);
  const failed = await new Promise((r) => ws.once('error', () => r(true)).once('open', () => r(false)));
  expect(failed).toBe(true);
});

test('a card update from the bot replaces the activity under the same id', async () => {
  const c = await start('dl-partner-6');
  const { activities } = await poll(c, 0, (a) => a.length >= 1);
  const id = activities[0].id;
  const res = await fetch(
    `${t.url}/v3/conversations/${c.conversationId}/activities/${encodeURIComponent(id)}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'updated in place' }),
    },
  );
  expect(res.status).toBe(200);
  const now = await call('GET', `/conversations/${c.conversationId}/activities?watermark=0`, c.token);
  expect(now.body.activities.filter((a: any) => a.id === id).map((a: any) => a.text)).toEqual([
    'updated in place',
  ]);
});

test('the page loads Web Chat from node_modules with the personas, two BDs among them', async () => {
  const html = await fetch(`${t.url}/`).then((r) => r.text());
  expect(html).toContain('/devchat/webchat.js');
  expect(html).toContain('value="bd"');
  const bundle = await fetch(`${t.url}/devchat/webchat.js`);
  expect(bundle.status).toBe(200);
  expect(Number((await bundle.arrayBuffer()).byteLength)).toBeGreaterThan(1_000_000);
  const personas = (await fetch(`${t.url}/devchat/personas`).then((r) => r.json())) as any[];
  expect(personas.map((p: { key: string; userId: string }) => [p.key, p.userId])).toEqual([
    ['partner', 'dev-partner'],
    ['bd', 'bd-alice'],
    // A second BD (issue 13): one BD's tab can press a card the other already decided.
    ['bd2', 'bd-bob'],
    ['support', 'support-sam'],
  ]);
});

test('with MicrosoftAppId set (production) neither the page nor Direct Line is mounted', async () => {
  const prod = await startTestApp({
    env: {
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'a-password',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-00000000aaaa',
      HOST: '127.0.0.1',
      WORKFLOW_API_TOKEN: 'x'.repeat(40),
      NOTIFY_SECRET: 'y'.repeat(40),
    },
  });
  try {
    expect((await fetch(`${prod.url}/`)).status).toBe(404);
    expect((await fetch(`${prod.url}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(404);
    expect(
      (await fetch(`${prod.url}/v3/conversations/x/activities`, { method: 'POST', body: '{}' })).status,
    ).toBe(404);
  } finally {
    await prod.stop();
  }
});
