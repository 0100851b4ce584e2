import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowClient } from '../../src/workflow/workflowClient';
import { startTestApp, TOKEN, type TestApp } from '../support/testApp';

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

describe('WorkflowClient', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  test('maps API errors to typed results', async () => {
    const client = new WorkflowClient({ baseUrl: `${t.url}/workflow/v1`, apiToken: TOKEN, timeoutMs: 2000 });
    const missing = await client.get('p', 'no-such-id');
    expect(missing).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'http', status: 404, code: 'not_found' }),
    });
    const bad = await client.register('p', { companyName: 'A', mainUid: '42', contactEmail: 'a@b.co' });
    expect(bad.ok).toBe(false);
    if (!bad.ok && bad.error.kind === 'http') expect(bad.error.message).toContain('mainUid');
    const wrongToken = new WorkflowClient({
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
      const client = new WorkflowClient({ baseUrl: hang.url, apiToken: TOKEN, timeoutMs: 300 });
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
    const offline = await new WorkflowClient({ baseUrl: url, apiToken: TOKEN, timeoutMs: 1000 }).get(
      'p',
      'x',
    );
    expect(offline).toEqual({ ok: false, error: expect.objectContaining({ kind: 'network' }) });

    const liar = await misbehaving((req, res) => {
      res.setHeader('content-type', req.url?.includes('html') ? 'text/html' : 'application/json');
      res.end(req.url?.includes('html') ? '<html>' : JSON.stringify({ id: 1, status: 'flying' }));
    });
    try {
      const client = new WorkflowClient({ baseUrl: liar.url, apiToken: TOKEN, timeoutMs: 1000 });
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
