import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChatUser, ConnectorStub } from '../support/connectorStub';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { startProcess } from '../support/process';
import { outboxDrained } from '../support/outbox';
import { openStore } from '../../src/db/database';
import { BD, TOKEN, uid, workflowHttp } from '../support/testApp';

// A dispatcher killed (SIGKILL) after the state change committed and while the webhook was
// in flight: the next process claims the event when the lease runs out and delivers it, once.

let db: TestDatabase;
let stub: ConnectorStub;
let blackHole: net.Server;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  db = tempSqlite();
  stub = await new ConnectorStub().start();
  // Accepts the webhook's connection and never answers: the delivery stays in flight.
  blackHole = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => blackHole.close(r));
  await stub.stop();
  db.drop();
});

test('killed mid-delivery, the event arrives after restart, exactly once', async () => {
  const env = {
    DATABASE_URL: db.url,
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: BD,
    NOTIFY_LEASE_MS: '1500',
    NOTIFY_POLL_MS: '50',
  };
  const hole = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}/api/notify`;
  const first = await startProcess({ ...env, NOTIFY_URL: hole });
  const partner = new ChatUser(first.url, stub, 'partner-kill-1');
  await partner.say('help');
  const http = workflowHttp(first.url);
  const reg = await http('POST', '/applications', partner.userId, {
    companyName: 'Killed Dispatcher Co',
    mainUid: uid(),
    contactEmail: 'k@killed.example.com',
  });
  const id = reg.body.id;
  await http('POST', `/applications/${id}/actions/request-qualification-review`, partner.userId, {
    expectedVersion: 1,
    payload: {},
  });
  const invited = await http('POST', `/applications/${id}/actions/invite`, BD, {
    expectedVersion: 2,
    payload: {},
  });
  expect(invited.status).toBe(200);
  // Wait until the first process has the webhook in flight, then kill it.
  for (let i = 0; i < 100 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(sockets.length).toBeGreaterThan(0);
  first.child.kill('SIGKILL');
  await first.exited;
  const before = stub.for(partner.conversationId).filter((r) => r.method === 'POST').length;

  const second = await startProcess(env);
  try {
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    const store = await openStore(db.url);
    try {
      await outboxDrained(store.db);
    } finally {
      await store.close();
    }
    await new Promise((r) => setTimeout(r, 500)); // time for any duplicate to show up
    const posts = stub
      .for(partner.conversationId)
      .filter((r) => r.method === 'POST')
      .slice(before);
    expect(posts.map((p) => p.activity.text)).toEqual([expect.stringContaining('issued your invitation')]);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
}, 30_000);
