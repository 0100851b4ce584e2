import { App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { ConnectorStub } from '../test/support/connectorStub';
import { tempSqlite } from '../test/support/databases';
import { SmtpSink } from '../test/support/smtpSink';

/**
 * Notification fan-out: 1,000 state changes committed while the dispatcher is off, then
 * drained through the dispatcher, the notifier and the real adapter to a local connector stub
 * and, with e-mail on, over SMTP (nodemailer's pooled transport) to a real SMTP server on
 * loopback. Scenarios:
 * - chat: BD invitations, one chat message each to its partner (the figure before e-mail);
 * - email: approvals to partners who chose "e-mail only": one e-mail each;
 * - both: approvals, a chat message and an e-mail each.
 * Measures time to the last delivery, deliveries per second, lost and duplicated ones, and
 * peak memory. The SMTP server, the connector stub and the product share this process.
 */
const EVENTS = 1000;
const TOKEN = 'bench-token';
const BD = 'bd-bench';

export type FanOut = 'chat' | 'email' | 'both';

export async function runNotifyBench(scenario: FanOut = 'chat'): Promise<Record<string, unknown>> {
  const db = tempSqlite();
  const stub = await new ConnectorStub().start();
  const sink = scenario === 'chat' ? undefined : await new SmtpSink(undefined, false).start();
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: BD,
    NOTIFY_DISPATCH: 'off',
    NOTIFY_POLL_MS: '20',
    ...(sink ? { SMTP_URL: sink.url, MAIL_FROM: 'onboarding@bench.example' } : {}),
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
      if (scenario === 'email') await app.notify.preferences.set(partner, 'email');
      const reg = await app.workflow.register(partner, {
        companyName: `Fan-out ${i} Co`,
        mainUid: String(5_100_000_000_000_000 + i),
        contactEmail: `p${i}@bench.example.com`,
      });
      const id = (reg.body as { id: string }).id;
      let version = 1;
      const act = async (who: string, action: string, payload?: Record<string, unknown>) => {
        const r = await app.workflow.act(who, id, action as never, { expectedVersion: version, payload });
        const body = r.body as { version: number; invitationCode?: string };
        version = body.version;
        return body;
      };
      await act(partner, 'request-qualification-review');
      if (scenario !== 'chat') {
        const { invitationCode } = await act(BD, 'invite');
        await act(partner, 'accept-invitation', { invitationCode });
        await act(partner, 'update-application', {
          companyInfoConfirmed: true,
          businessType: 'reseller',
          masterUid: String(5_100_000_000_000_000 + i),
          contactName: `Contact ${i}`,
          contactPhone: '+86 571 0000 0000',
          country: 'China',
        });
        await act(partner, 'submit');
      }
    }
    // Only the measured changes count: mark the set-up events as delivered.
    await app.store.db.updateTable('outbox').set({ delivered_at: new Date().toISOString() }).execute();
    const status = scenario === 'chat' ? 'qualification_review' : 'submitted';
    const apps = await app.workflow.list(BD, { status, limit: '1000' });
    for (const a of apps) {
      await app.workflow.act(BD, a.id, scenario === 'chat' ? 'invite' : 'approve', {
        expectedVersion: a.version,
      });
    }

    const chats = () => stub.received.filter((r) => r.method === 'POST').length;
    const mails = () => sink?.received.length ?? 0;
    const expected = { chat: scenario === 'email' ? 0 : EVENTS, email: scenario === 'chat' ? 0 : EVENTS };
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const started = process.hrtime.bigint();
    app.notify.dispatcher.start();
    let lastProgress = 0;
    for (;;) {
      const done = chats() + mails();
      if (chats() >= expected.chat && mails() >= expected.email) break;
      if (Number(process.hrtime.bigint() - started) / 1e9 > 180) break;
      if (done - lastProgress >= 400) {
        process.stdout.write(`  ${done}/${expected.chat + expected.email} delivered\n`);
        lastProgress = done;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show up here
    clearInterval(sampler);
    const chatCount = new Map<string, number>();
    for (const r of stub.received)
      if (r.method === 'POST') chatCount.set(r.conversationId, (chatCount.get(r.conversationId) ?? 0) + 1);
    const mailCount = new Map<string, number>();
    for (const m of sink?.received ?? [])
      for (const to of m.to) mailCount.set(to, (mailCount.get(to) ?? 0) + 1);
    const lost =
      (expected.chat ? partners.filter((p) => !chatCount.has(`conv-${p}`)).length : 0) +
      (expected.email ? partners.filter((_p, i) => !mailCount.has(`p${i}@bench.example.com`)).length : 0);
    const twice = [...chatCount.values(), ...mailCount.values()].filter((n) => n > 1).length;
    const delivered = chats() + mails();
    const result = {
      scenario,
      events: apps.length,
      chatMessages: chats(),
      emails: mails(),
      secondsToLastDelivery: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(apps.length / seconds),
      deliveriesPerSecond: Math.round(delivered / seconds),
      emailsPerSecond: Math.round(mails() / seconds),
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
    await sink?.stop();
    await db.drop();
  }
}

if (require.main === module) {
  const asked = process.argv[2] as FanOut | undefined;
  void (async () => {
    for (const s of asked ? [asked] : (['chat', 'email', 'both'] as const)) await runNotifyBench(s);
  })();
}
