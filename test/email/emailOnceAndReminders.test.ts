import { eventOf, postSigned } from '../support/outbox';
import { ChatUser, ConnectorStub } from '../support/connectorStub';
import { Walk } from '../support/journey';
import { describePostgres, tempPostgres, tempSqlite, type TestDatabase } from '../support/databases';
import { SmtpSink } from '../support/smtpSink';
import { BD, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// Exactly once over SMTP: 10 copies of one signed webhook at once (the dispatcher off, the
// relay slow) give one e-mail; the BD's deadline reminders are e-mailed once per deadline, in
// the BD's language, and one the relay refused for now goes on the scheduler's next pass.

const SECRET = 'a-notify-secret-of-at-least-32-characters';
const ALICE = 'alice@alibaba.example';
function suite(
  describeIt: typeof describe,
  name: string,
  database: () => TestDatabase | Promise<TestDatabase>,
) {
  describeIt(name, () => {
    let t: TestApp;
    let db: TestDatabase;
    let stub: ConnectorStub;
    let sink: SmtpSink;
    let http: ReturnType<typeof workflowHttp>;
    let now = Date.now();

    beforeAll(async () => {
      stub = await new ConnectorStub().start();
      sink = await new SmtpSink().start();
      db = await database();
      t = await startTestApp({
        db,
        clock: () => new Date(now),
        env: {
          NOTIFY_DISPATCH: 'off',
          NOTIFY_SECRET: SECRET,
          REMINDER_INTERVAL_MS: '3600000',
          SMTP_URL: sink.url,
          MAIL_FROM: 'onboarding@onboarding.example',
          STAFF_EMAILS: `${BD}=${ALICE}`,
        },
      });
      http = workflowHttp(t.url);
    });
    afterAll(async () => {
      await t.stop();
      await stub.stop();
      await sink.stop();
      await db.drop();
    });

    async function submitted(company: string, address: string) {
      const walk = await Walk.register(http, `partner-${address}`, {
        companyName: company,
        contactEmail: address,
      });
      await walk.toDraft();
      await walk.completeBasics();
      await walk.act('submit', walk.partner);
      return walk;
    }

    function signedEvent(row: any) {
      const body = JSON.stringify(eventOf(row));
      return async () => {
        const res = await postSigned(t.url, SECRET, body, 9000);
        return res.status;
      };
    }

    test('10 copies of one signed webhook at once, a slow relay: one e-mail', async () => {
      const address = 'ten@copies.example';
      const walk = await submitted('Ten Copies Co', address);
      const row = await t.app.store.db
        .selectFrom('outbox')
        .selectAll()
        .where('application_id', '=', walk.id)
        .where('type', '=', 'submit')
        .executeTakeFirstOrThrow();
      const send = signedEvent(row);
      sink.latencyMs = 300;
      try {
        const statuses = await Promise.all(Array.from({ length: 10 }, send));
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        for (const s of statuses.filter((x) => x !== 200)) expect([409, 503]).toContain(s);
        // The copies told to come back later do: still one e-mail.
        expect([200, 409]).toContain(await send());
      } finally {
        sink.latencyMs = 0;
      }
      expect(sink.to(address).map((m) => m.subject)).toEqual([
        'Ten Copies Co: application submitted, under review',
      ]);
    });

    test('the BD is e-mailed each deadline reminder once, in their language; one refused for now is tried on the next pass', async () => {
      // The BD chose Chinese in chat: their e-mails are in Chinese too.
      const bd = new ChatUser(t.url, stub, BD, 'conv-reminder-mail-bd');
      await bd.say('中文');
      const walk = await submitted('Deadline Co', 'deadline@partner.example');
      const due = Date.parse(walk.app.dueDate);
      const reminders = () => sink.to(ALICE).filter((m) => m.subject.includes('Deadline Co'));

      now = due - 6 * 3600_000;
      // Both applications waiting on her are due then: the relay refuses her first two reminders for now.
      sink.answer(ALICE, [451, 451]);
      await t.app.notify.reminders.tick();
      expect(reminders()).toEqual([]);
      await t.app.notify.reminders.tick(); // the next pass: the relay accepts now
      expect(reminders().map((m) => m.subject)).toEqual([
        `提醒：Deadline Co 正在等待您处理，截止时间为 ${zhDate(due)}`,
      ]);
      await t.app.notify.reminders.tick();
      expect(reminders()).toHaveLength(1);

      now = due + 3600_000;
      await t.app.notify.reminders.tick();
      await t.app.notify.reminders.tick();
      expect(reminders().map((m) => m.subject)).toEqual([
        `提醒：Deadline Co 正在等待您处理，截止时间为 ${zhDate(due)}`,
        `已超过截止时间：Deadline Co 已等待超过 ${zhDate(due)}`,
      ]);
      expect(reminders()[1].text).toContain('支持人员已收到通知');
      now = Date.now();
    });
  });
}

suite(describe, 'SQLite', tempSqlite);
suite(describePostgres as typeof describe, 'Postgres', tempPostgres);

function zhDate(ms: number): string {
  const d = new Date(ms);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return `${get('year')}年${get('month')}月${get('day')}日`;
}
