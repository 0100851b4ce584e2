import net from 'node:net';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { fullFields } from '../support/journey';
import { startProcess, runToExit } from '../support/process';
import { BD, TOKEN, workflowHttp } from '../support/testApp';

const env = (db: TestDatabase) => ({ DATABASE_URL: db.url, WORKFLOW_API_TOKEN: TOKEN, BD_USER_IDS: BD });

describe('the server process', () => {
  let db: TestDatabase;
  beforeEach(() => {
    db = tempSqlite();
  });
  afterEach(() => db.drop());

  test('answers /healthz on loopback and exits cleanly on SIGTERM', async () => {
    const p = await startProcess(env(db));
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${p.url}/healthz`);
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('"msg":"stopped"');
  });

  test('a process killed between two actions loses nothing it acknowledged', async () => {
    const first = await startProcess(env(db));
    const http = workflowHttp(first.url);
    const f = fullFields();
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await http('POST', '/applications', `crash-partner-${i}`, {
        companyName: f.companyName,
        mainUid: f.mainUid,
        contactEmail: f.contactEmail,
      });
      expect(r.status).toBe(201);
      acknowledged.push(r.body.id);
      const moved = await http(
        'POST',
        `/applications/${r.body.id}/actions/request-qualification-review`,
        `crash-partner-${i}`,
        {
          expectedVersion: 1,
        },
      );
      expect(moved.status).toBe(200);
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startProcess(env(db));
    try {
      const after = workflowHttp(second.url);
      const list = await after('GET', '/applications?status=qualification_review', BD);
      expect(list.body.map((a: any) => a.id).sort()).toEqual([...acknowledged].sort());
      for (const id of acknowledged) {
        const h = await after('GET', `/applications/${id}/history`, BD);
        expect(h.body.map((x: any) => x.action)).toEqual(['register', 'request-qualification-review']);
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  test('a bad setting stops start-up naming the variable', async () => {
    const bad = await runToExit({ DATABASE_URL: db.url, PORT: 'eighty' });
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain('PORT');
    const exposed = await runToExit({ DATABASE_URL: db.url, HOST: '0.0.0.0' });
    expect(exposed.code).not.toBe(0);
    expect(exposed.output).toContain('HOST');
    const prod = await runToExit({
      DATABASE_URL: db.url,
      MicrosoftAppId: 'a0000000-0000-0000-0000-000000000000',
    });
    expect(prod.output).toContain('MicrosoftAppPassword');
    expect(prod.output).toContain('WORKFLOW_API_TOKEN');
    expect(prod.output).toContain('NOTIFY_SECRET');
  });

  test('DATABASE_URL at a port that is not Postgres stops start-up within seconds, naming the variable', async () => {
    // One server accepts and never answers (the hang), one answers with something else (Redis speaks RESP).
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    const chatty = net.createServer((socket) => {
      sockets.push(socket);
      socket.write('-ERR unknown command\r\n');
    });
    for (const s of [silent, chatty]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      for (const server of [silent, chatty]) {
        const port = (server.address() as net.AddressInfo).port;
        const started = Date.now();
        const r = await runToExit({
          DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/onboarding`,
        });
        expect(r.code).not.toBe(0);
        expect(r.output).toContain('DATABASE_URL');
        expect(r.output).toContain(`127.0.0.1:${port}`);
        expect(r.output).not.toContain('hunter2');
        expect(Date.now() - started).toBeLessThan(20_000);
      }
    } finally {
      for (const s of sockets) s.destroy();
      for (const s of [silent, chatty]) await new Promise((r) => s.close(r));
    }
  }, 40_000);
});
