import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWorkflowClient } from '../../src/workflow/httpWorkflowClient';
import { InProcessWorkflowClient } from '../../src/workflow/inProcessWorkflowClient';
import type { WorkflowClient } from '../../src/workflow/workflowClient';
import { BD, startTestApp, TOKEN, uid, type TestApp } from '../support/testApp';

/** A loopback server that misbehaves on purpose. */
async function misbehaving(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// The contract both WorkflowClient implementations keep: the same answers and the same errors.
describe.each([
  [
    'HttpWorkflowClient',
    (t: TestApp): WorkflowClient =>
      new HttpWorkflowClient({ baseUrl: `${t.url}/workflow/v1`, apiToken: TOKEN, timeoutMs: 2000 }),
  ],
  [
    'InProcessWorkflowClient',
    (t: TestApp): WorkflowClient => new InProcessWorkflowClient(t.app.workflow, t.app.log),
  ],
])('%s keeps the workflow contract', (_name, make) => {
  let t: TestApp;
  let client: WorkflowClient;
  beforeAll(async () => {
    t = await startTestApp();
    client = make(t);
  });
  afterAll(() => t.stop());
  const partner = () => `contract-${Math.random().toString(36).slice(2)}`;
  const register = (who: string, key?: string) =>
    client.register(
      who,
      { companyName: 'Contract Co', mainUid: uid(), contactEmail: 'c@contract.example' },
      { idempotencyKey: key },
    );

  test('404, 400 naming the field, 403, 409 and 422 arrive as typed errors', async () => {
    expect(await client.get('p', 'no-such-id')).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'http', status: 404, code: 'not_found' }),
    });
    const bad = await client.register('p', { companyName: 'A', mainUid: '42', contactEmail: 'a@b.co' });
    expect(bad.ok || bad.error).toMatchObject({
      kind: 'http',
      status: 400,
      message: expect.stringContaining('mainUid'),
    });
    const who = partner();
    const r = await register(who);
    if (!r.ok) throw new Error('register failed');
    const app = r.value;
    expect(app).toMatchObject({ status: 'prospect', version: 1, partnerUserId: who });
    const asBd = await client.act(BD, app.id, 'approve', app.version);
    expect(asBd.ok || asBd.error).toMatchObject({ kind: 'http', status: 422 });
    const stale = await client.act(who, app.id, 'request-qualification-review', app.version + 5);
    expect(stale.ok || stale.error).toMatchObject({ kind: 'http', status: 409, code: 'version_conflict' });
    const wrongRole = await client.act(who, app.id, 'invite', app.version);
    expect(wrongRole.ok || wrongRole.error).toMatchObject({ kind: 'http', status: 403 });
    const otherPartner = await client.get(partner(), app.id);
    expect(otherPartner.ok || otherPartner.error).toMatchObject({ kind: 'http', status: 404 });
    const noActor = await client.get('  ', app.id);
    expect(noActor.ok || noActor.error).toMatchObject({ kind: 'http', status: 401 });
  });

  test('the same idempotency key replays the first answer and registers once', async () => {
    const who = partner();
    const key = `k-${Math.random()}`;
    const first = await register(who, key);
    const again = await client.register(
      who,
      { companyName: 'Contract Co', mainUid: '0000000000000000', contactEmail: 'x@y.z' },
      { idempotencyKey: key },
    );
    expect(first.ok).toBe(true);
    // A different request under the same key is refused, not applied.
    expect(again.ok || again.error).toMatchObject({
      kind: 'http',
      status: 422,
      code: 'idempotency_key_reused',
    });
    const listed = await client.list(who);
    expect(listed.ok && listed.value).toHaveLength(1);
  });

  test('list filters by status and company, history lists every transition', async () => {
    const who = partner();
    const r = await register(who);
    if (!r.ok) throw new Error('register failed');
    const moved = await client.act(who, r.value.id, 'request-qualification-review', 1);
    expect(moved.ok && moved.value).toMatchObject({ status: 'qualification_review', version: 2 });
    const waiting = await client.list(BD, { status: ['qualification_review'], q: 'contract co' });
    expect(waiting.ok && waiting.value.map((a) => a.id)).toContain(r.value.id);
    const history = await client.history(who, r.value.id);
    expect(history.ok && history.value.map((h) => [h.version, h.action])).toEqual([
      [1, 'register'],
      [2, 'request-qualification-review'],
    ]);
  });
});

describe('HttpWorkflowClient over a real or misbehaving network', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  test('a wrong service token is 401', async () => {
    const wrongToken = new HttpWorkflowClient({
      baseUrl: `${t.url}/workflow/v1`,
      apiToken: 'nope',
      timeoutMs: 2000,
    });
    const denied = await wrongToken.list('p');
    expect(denied.ok || denied.error).toMatchObject({ kind: 'http', status: 401 });
  });

  test('a hanging server is a timeout within the configured time', async () => {
    const hang = await misbehaving(() => undefined);
    try {
      const client = new HttpWorkflowClient({ baseUrl: hang.url, apiToken: TOKEN, timeoutMs: 300 });
      const started = Date.now();
      const r = await client.get('p', 'x');
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ kind: 'timeout' }) });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await hang.close();
    }
  });

  test('no server is a network error; a non-JSON or wrong-shape answer is invalid-response', async () => {
    const gone = await misbehaving(() => undefined);
    const url = gone.url;
    await gone.close();
    const offline = await new HttpWorkflowClient({ baseUrl: url, apiToken: TOKEN, timeoutMs: 1000 }).get(
      'p',
      'x',
    );
    expect(offline).toEqual({ ok: false, error: expect.objectContaining({ kind: 'network' }) });

    const liar = await misbehaving((req, res) => {
      res.setHeader('content-type', req.url?.includes('html') ? 'text/html' : 'application/json');
      res.end(req.url?.includes('html') ? '<html>' : JSON.stringify({ id: 1, status: 'flying' }));
    });
    try {
      const client = new HttpWorkflowClient({ baseUrl: liar.url, apiToken: TOKEN, timeoutMs: 1000 });
      expect(await client.get('p', 'html')).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'invalid-response' }),
      });
      expect(await client.get('p', 'json')).toEqual({
        ok: false,
        error: expect.objectContaining({ kind: 'invalid-response' }),
      });
    } finally {
      await liar.close();
    }
  });
});
