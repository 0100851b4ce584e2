import { driveTo } from '../support/journey';
import { startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// The workflow API's door, route by route from its own OpenAPI document.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

test('every operation but the public OpenAPI document refuses a call without the service token', async () => {
  const doc = (await fetch(`${t.url}/workflow/v1/openapi.json`).then((r) => r.json())) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.keys(methods).map((m) => [m.toUpperCase(), p] as const),
  );
  expect(operations.length).toBeGreaterThanOrEqual(5);
  for (const [method, template] of operations) {
    if (template === '/openapi.json') continue;
    const path = template.replace('{id}', 'some-id').replace('{action}', 'approve');
    for (const token of ['', 'not-the-token']) {
      const r = await workflowHttp(t.url, token)(method, path, 'someone', method === 'GET' ? undefined : {});
      expect([method, path, token, r.status]).toEqual([method, path, token, 401]);
    }
  }
});

test("a partner can neither read nor act on another partner's application, nor take a BD action", async () => {
  const http = workflowHttp(t.url);
  const app = await driveTo(http, 'partner-owner', 'submitted');
  for (const path of [`/applications/${app.id}`, `/applications/${app.id}/history`]) {
    expect((await http('GET', path, 'partner-intruder')).status).toBe(404);
  }
  const listed = await http('GET', '/applications', 'partner-intruder');
  expect(listed.body).toEqual([]);
  const withdraw = await http('POST', `/applications/${app.id}/actions/withdraw`, 'partner-intruder', {
    expectedVersion: app.version,
  });
  expect(withdraw.status).toBe(404);
  const approve = await http('POST', `/applications/${app.id}/actions/approve`, 'partner-owner', {
    expectedVersion: app.version,
  });
  expect(approve.status).toBe(403);
  expect((await http('GET', `/applications/${app.id}`, 'partner-owner')).body.status).toBe('submitted');
});
