import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { describePostgres, tempPostgres, type TestDatabase } from '../support/databases';
import { startProcess, type Running } from '../support/process';
import { Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { openStore } from '../../src/db/database';
import { BD, BD2, TOKEN, uid, workflowHttp } from '../support/testApp';

// Two bot processes on one Postgres and one Redis, as a load balancer would spread them:
// dialog state, approvals, the outbox and a killed instance, with no change of code.

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl)
  console.log('SKIPPED: two-instance test needs TEST_REDIS_URL (and TEST_DATABASE_URL); .ci/run sets both');
const describeScale = redisUrl ? describePostgres : describe.skip;

describeScale('two instances on Postgres and Redis', () => {
  let db: TestDatabase;
  let stub: ConnectorStub;
  let a: Running;
  let b: Running;
  const env = () => ({
    DATABASE_URL: db.url,
    KEYV_URL: redisUrl!,
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: `${BD},${BD2}`,
    NOTIFY_POLL_MS: '50',
    NOTIFY_LEASE_MS: '2000',
    LOG_LEVEL: 'info', // startProcess waits for the "listening" line
  });

  beforeAll(async () => {
    db = await tempPostgres();
    stub = await new ConnectorStub().start();
    [a, b] = await Promise.all([startProcess(env()), startProcess(env())]);
  }, 60_000);
  afterAll(async () => {
    for (const p of [a, b]) {
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
    }
    await stub.stop();
    await db.drop();
  });

  /** The same person in the same conversation, reaching whichever instance the balancer picks. */
  const on = (p: Running, userId: string, conversationId = `conv-${userId}`) =>
    new ChatUser(p.url, stub, userId, conversationId);

  /** Both instances drain one outbox: wait until it is empty, reading the shared database. */
  async function drained(): Promise<void> {
    const store = await openStore(db.url);
    try {
      await outboxDrained(store.db);
    } finally {
      await store.close();
    }
  }

  test('a conversation whose turns alternate between instances keeps its dialog state', async () => {
    const partner = 'partner-alternating';
    const turns: [Running, string, string][] = [
      [a, 'hi', 'completed enterprise certification'],
      [b, 'yes', 'company name'],
      [a, 'Two Instance Co', 'Main UID'],
      [b, '12345', 'exactly 16 digits'],
      [a, uid(), 'e-mail'],
      [b, 'two@instance.example.com', 'Registered'],
    ];
    for (const [instance, text, expected] of turns) {
      expect(textOf(await on(instance, partner).say(text))).toContain(expected);
    }
  });

  test('two BDs approving at once on different instances give one transition; everyone hears once', async () => {
    const http = workflowHttp(a.url);
    const partner = on(a, 'partner-race');
    await partner.say('help');
    const bdOnA = on(a, BD, 'conv-race-bd');
    const bdOnB = on(b, BD2, 'conv-race-bd2');
    await bdOnA.say('help');
    await bdOnB.say('help');
    const walk = await Walk.register(http, partner.userId, { companyName: 'Race Co' });
    await walk.toDraft();
    await walk.completeBasics();
    const app = await walk.act('submit', partner.userId);
    const queue = await bdOnA.say('queue');
    const approve = findButton(queue, (d) => d.action === 'approve' && d.applicationId === app.id)!;
    const [one, two] = await Promise.all([bdOnA.say(approve.data), bdOnB.say(approve.data)]);
    const replies = [textOf(one), textOf(two)];
    expect(replies.filter((r) => r.includes('The partner has been told'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('Already approved by'))).toHaveLength(1);
    const history = (await http('GET', `/applications/${app.id}/history`, BD)).body;
    expect(history.filter((h: { action: string }) => h.action === 'approve')).toHaveLength(1);

    // Both instances drain the one outbox: the partner hears of the approval once.
    await drained();
    await new Promise((r) => setTimeout(r, 300));
    const partnerTexts = stub.for(partner.conversationId).map((r) => r.activity.text ?? '');
    expect(
      partnerTexts.filter((x) => x.includes('Congratulations on passing the qualification')),
    ).toHaveLength(1);
    expect(partnerTexts.filter((x) => x.includes('issued your invitation'))).toHaveLength(1);
  });

  test('killing one instance mid-journey loses nothing: the other carries on', async () => {
    const partner = 'partner-survivor';
    expect(textOf(await on(a, partner).say('hi'))).toContain('completed enterprise certification');
    expect(textOf(await on(a, partner).say('yes'))).toContain('company name');
    expect(textOf(await on(b, partner).say('Survivor Co'))).toContain('Main UID');
    a.child.kill('SIGKILL');
    await a.exited;
    expect(textOf(await on(b, partner).say(uid()))).toContain('e-mail');
    const done = await on(b, partner).say('s@survivor.example.com');
    expect(textOf(done)).toContain('Registered');
    const review = findButton(done, (d) => d.action === 'request-qualification-review')!;
    expect(textOf(await on(b, partner).say(review.data))).toContain('asked for the qualification review');
    // Events the killed instance had claimed are taken over when their lease runs out.
    await drained();
    const [app] = (await workflowHttp(b.url)('GET', '/applications', partner)).body;
    expect(app).toMatchObject({ companyName: 'Survivor Co', status: 'qualification_review' });
  }, 60_000);
});
