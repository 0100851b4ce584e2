import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { openStore, type Store } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { DEFAULT_DISPATCHER_OPTIONS, OutboxDispatcher } from '../../src/notify/outboxDispatcher';
import { webhookTransport } from '../../src/notify/eventTransport';
import { verify } from '../../src/notify/signature';
import { describePostgres, tempPostgres, tempSqlite, type TestDatabase } from '../support/databases';
import { outboxDrained } from '../support/outbox';

// The dispatcher against a receiver that records what it is sent: several dispatchers on
// one store share the outbox without sending an event twice; failures are retried in order.

const SECRET = 'dispatcher-test-secret';
const log = createLogger('silent');

class Receiver {
  readonly got: { eventId: string; applicationId: string; type: string }[] = [];
  failFirst = 0;
  status = 200;
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const ok = verify(req.headers, body, [SECRET], Date.now()).ok;
      if (!ok) {
        res.statusCode = 401;
        return res.end();
      }
      if (this.failFirst > 0) {
        this.failFirst--;
        res.statusCode = 503;
        return res.end('{}');
      }
      const e = JSON.parse(body);
      this.got.push({ eventId: e.eventId, applicationId: e.applicationId, type: e.type });
      res.statusCode = this.status;
      res.end(this.status === 409 ? '{"error":{"code":"duplicate_event"}}' : '{}');
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/notify`;
    return this;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

async function addEvents(store: Store, applications: number, perApplication: number): Promise<void> {
  const at = new Date(Date.now() - 1000).toISOString();
  for (let a = 0; a < applications; a++) {
    const applicationId = `app-${a}-${randomUUID()}`;
    for (let i = 0; i < perApplication; i++) {
      await store.db
        .insertInto('outbox')
        .values({
          id: randomUUID(),
          type: `step-${i}`,
          application_id: applicationId,
          from_status: null,
          to_status: 'prospect',
          actor: 'someone',
          occurred_at: at,
          attempts: 0,
          next_attempt_at: at,
          delivered_at: null,
          last_error: null,
        })
        .execute();
    }
  }
}

const dispatcher = (store: Store, url: string, opts: Partial<typeof DEFAULT_DISPATCHER_OPTIONS> = {}) =>
  new OutboxDispatcher(
    store,
    {
      ...DEFAULT_DISPATCHER_OPTIONS,
      transport: webhookTransport({ url, secret: SECRET, timeoutMs: 10_000 }),
      pollMs: 10,
      batchSize: 20,
      baseBackoffMs: 20,
      ...opts,
    },
    () => new Date(),
    log,
  );

const drained = (store: Store) => outboxDrained(store.db);

function suite(name: string, makeDb: () => Promise<TestDatabase> | TestDatabase) {
  describe(name, () => {
    let db: TestDatabase;
    let stores: Store[];
    let receiver: Receiver;
    beforeEach(async () => {
      db = await makeDb();
      stores = [await openStore(db.url), await openStore(db.url)];
      receiver = await new Receiver().start();
    });
    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await receiver.stop();
      await db.drop();
    });

    test('two dispatchers on one outbox: every event once, each application in order', async () => {
      await addEvents(stores[0], 30, 5);
      // Batches of 7 split applications across claims and dispatchers.
      const ds = stores.map((s) => dispatcher(s, receiver.url, { batchSize: 7 }));
      ds.forEach((d) => d.start());
      await drained(stores[0]);
      await Promise.all(ds.map((d) => d.stop()));
      const ids = receiver.got.map((g) => g.eventId);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      const byApp = new Map<string, string[]>();
      for (const g of receiver.got)
        byApp.set(g.applicationId, [...(byApp.get(g.applicationId) ?? []), g.type]);
      for (const types of byApp.values())
        expect(types).toEqual(['step-0', 'step-1', 'step-2', 'step-3', 'step-4']);
    });

    test('a failing receiver is retried with backoff until it acknowledges; order is kept', async () => {
      await addEvents(stores[0], 1, 3);
      receiver.failFirst = 3;
      const d = dispatcher(stores[0], receiver.url);
      d.start();
      await drained(stores[0]);
      await d.stop();
      expect(receiver.got.map((g) => g.type)).toEqual(['step-0', 'step-1', 'step-2']);
      const rows = await stores[0].db
        .selectFrom('outbox')
        .select(['attempts', 'last_error'])
        .orderBy('seq')
        .execute();
      expect(rows[0].attempts).toBe(4);
      expect(rows[0].last_error).toBeNull();
    });

    test('a 409 duplicate_event (the bot had it already) counts as delivered', async () => {
      await addEvents(stores[0], 1, 1);
      receiver.status = 409;
      const d = dispatcher(stores[0], receiver.url);
      expect(await d.drainOnce()).toBe(1);
    });
  });
}

suite('dispatcher on SQLite', () => tempSqlite());
describePostgres('dispatcher on Postgres', () => {
  suite('(SKIP LOCKED)', () => tempPostgres());
});
