import { App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { ConnectorStub } from '../test/support/connectorStub';
import { tempSqlite } from '../test/support/databases';

/**
 * Notification fan-out: 1,000 state changes (BD invitations, each one message to its
 * partner) committed while the dispatcher is off, then drained through the signed webhook,
 * the notifier and the real adapter to a local connector stub. Measures time to the last
 * delivery, deliveries per second, lost and duplicated messages, and peak memory.
 */
const EVENTS = 1000;
const TOKEN = 'bench-token';

export async function runNotifyBench(): Promise<Record<string, unknown>> {
  const db = tempSqlite();
  const stub = await new ConnectorStub().start();
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: 'bd-bench',
    NOTIFY_DISPATCH: 'off',
    NOTIFY_POLL_MS: '20',
  });
  const app = await App.create(config, { log: createLogger('silent') });
  await app.listen();
  try {
    const partners: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const partner = `bench-partner-${i}`;
      partners.push(partner);
      await app.bot.references.save(partner, {
        channelId: 'webchat',
        serviceUrl: stub.url,
        conversation: { id: `conv-${partner}`, isGroup: false, conversationType: 'personal', name: '' },
        user: { id: partner, name: partner },
        bot: { id: 'bot', name: 'bot' },
      });
      const reg = await app.workflow.register(partner, {
        companyName: `Fan-out ${i} Co`,
        mainUid: String(5_100_000_000_000_000 + i),
        contactEmail: `p${i}@bench.example.com`,
      });
      const id = (reg.body as { id: string }).id;
      await app.workflow.act(partner, id, 'request-qualification-review', { expectedVersion: 1 });
    }
    // Only the invitations are measured: mark the set-up events as delivered.
    await app.store.db.updateTable('outbox').set({ delivered_at: new Date().toISOString() }).execute();
    const apps = await app.workflow.list('bd-bench', { status: 'qualification_review', limit: '1000' });
    for (const a of apps) await app.workflow.act('bd-bench', a.id, 'invite', { expectedVersion: a.version });

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const started = process.hrtime.bigint();
    app.notify.dispatcher.start();
    let lastProgress = 0;
    for (;;) {
      const done = stub.received.filter((r) => r.method === 'POST').length;
      if (done >= EVENTS) break;
      if (Number(process.hrtime.bigint() - started) / 1e9 > 120) break;
      if (done - lastProgress >= 200) {
        process.stdout.write(`  ${done}/${EVENTS} delivered\n`);
        lastProgress = done;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show up here
    clearInterval(sampler);
    const perConversation = new Map<string, number>();
    for (const r of stub.received)
      if (r.method === 'POST')
        perConversation.set(r.conversationId, (perConversation.get(r.conversationId) ?? 0) + 1);
    const lost = partners.filter((p) => !perConversation.has(`conv-${p}`)).length;
    const twice = [...perConversation.values()].filter((n) => n > 1).length;
    const result = {
      events: apps.length,
      secondsToLastDelivery: Math.round(seconds * 100) / 100,
      deliveriesPerSecond: Math.round(EVENTS / seconds),
      lost,
      deliveredTwice: twice,
      rssBeforeMb: Math.round(rssBefore / 1024 / 1024),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
    console.table([result]);
    return result;
  } finally {
    await app.stop();
    await stub.stop();
    await db.drop();
  }
}

if (require.main === module) void runNotifyBench();
