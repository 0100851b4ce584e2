import { openStore } from '../src/db/database';
import { ConversationReferenceStore } from '../src/bot/conversationReferenceStore';
import { ConnectorStub, textOf } from '../test/support/connectorStub';
import { tempSqlite } from '../test/support/databases';
import { outboxDrained } from '../test/support/outbox';
import { startProcess, type Running } from '../test/support/process';
import { workflowHttp } from '../test/support/testApp';

/**
 * The kill -9 window, measured: rounds of journeys (one starting every 100 ms) during
 * which the product is killed with SIGKILL at a random moment, each round's leftovers
 * delivered by the next process. Counts, per message a person should get, how often it
 * arrived: lost (0) and doubled (2+). `npx tsx bench/killWindow.ts [rounds] [journeysPerRound]`.
 */
const ROUNDS = Number(process.argv[2] ?? 40);
const PER_ROUND = Number(process.argv[3] ?? 20);
const TOKEN = 'kill-window-token';
const BD = 'bd-kill';

async function main() {
  const db = tempSqlite();
  const stub = await new ConnectorStub().start();
  stub.latencyMs = 15; // a channel a little way off: sends overlap the kill
  const env = {
    DATABASE_URL: db.url,
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: BD,
    NOTIFY_LEASE_MS: '1000',
    NOTIFY_POLL_MS: '20',
    LOG_LEVEL: 'info',
  };

  // Everyone has talked to the bot before: a conversation reference each, written up front.
  const total = ROUNDS * PER_ROUND;
  {
    const store = await openStore(db.url);
    const refs = new ConversationReferenceStore(store);
    const reference = (user: string) => ({
      channelId: 'webchat',
      serviceUrl: stub.url,
      conversation: { id: `conv-${user}`, isGroup: false, conversationType: 'personal', name: '' },
      user: { id: user, name: user },
      bot: { id: 'bot', name: 'bot' },
    });
    await refs.save(BD, reference(BD));
    for (let i = 0; i < total; i++) await refs.save(`kill-partner-${i}`, reference(`kill-partner-${i}`));
    await store.close();
  }

  let kills = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const p: Running = await startProcess(env);
    const http = workflowHttp(p.url, TOKEN);
    // Journeys arrive one every 100 ms, as people's would; the kill comes at a random moment
    // among them, not in step with start-up (when the last process's leftovers are resent).
    const journeys = Array.from({ length: PER_ROUND }, (_, k) => round * PER_ROUND + k).map(async (i, k) => {
      await new Promise((r) => setTimeout(r, k * 100));
      const partner = `kill-partner-${i}`;
      const reg = await http('POST', '/applications', partner, {
        companyName: `Kill ${i} Co`,
        mainUid: String(5_200_000_000_000_000 + i),
        contactEmail: `k${i}@kill.example.com`,
      });
      await http('POST', `/applications/${reg.body.id}/actions/request-qualification-review`, partner, {
        expectedVersion: 1,
      });
      await http('POST', `/applications/${reg.body.id}/actions/invite`, BD, { expectedVersion: 2 });
    });
    // A journey cut off by the kill fails; that is expected, and not counted (only what committed is).
    for (const j of journeys) j.catch(() => undefined);
    const at = 500 + Math.random() * (PER_ROUND * 100);
    await new Promise((r) => setTimeout(r, at));
    p.child.kill('SIGKILL');
    await p.exited;
    await Promise.allSettled(journeys);
    kills++;
    process.stdout.write(`  round ${round + 1}/${ROUNDS}: killed after ${Math.round(at)} ms\n`);
  }

  // One last process delivers whatever is left.
  const last = await startProcess(env);
  const store = await openStore(db.url);
  try {
    await outboxDrained(store.db, undefined, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const apps = await store.db
      .selectFrom('applications')
      .select(['company_name', 'partner_user_id', 'status'])
      .execute();
    const posts = stub.received.filter((r) => r.method === 'POST');
    let expected = 0;
    let lost = 0;
    let doubled = 0;
    let extra = 0;
    const details: string[] = [];
    const count = (n: number, what: string) => {
      expected++;
      if (n === 0) lost++;
      if (n > 1) {
        doubled++;
        extra += n - 1;
        details.push(`${n}× ${what}`);
      }
    };
    const bdTexts = posts.filter((r) => r.conversationId === `conv-${BD}`).map((r) => textOf([r.activity]));
    for (const a of apps) {
      if (a.status === 'prospect') continue;
      count(
        bdTexts.filter((t) => t.includes(`${a.company_name} asks for the qualification review`)).length,
        `BD: ${a.company_name} asks for the review`,
      );
      if (a.status === 'invited') {
        count(
          posts.filter(
            (r) =>
              r.conversationId === `conv-${a.partner_user_id}` &&
              textOf([r.activity]).includes('issued your invitation'),
          ).length,
          `${a.partner_user_id}: invitation`,
        );
      }
    }
    const result = {
      kills,
      applications: apps.length,
      messagesExpected: expected,
      lost,
      doubled,
      extraMessages: extra,
    };
    console.table([result]);
    if (process.env.KILL_DETAILS) console.log(details.join('\n'));
  } finally {
    await store.close();
    last.child.kill('SIGTERM');
    await last.exited;
    await stub.stop();
    await db.drop();
  }
}

void main();
