import { validPayload, Walk } from '../support/journey';
import { startProcess, type Running } from '../support/process';
import { SmtpSink } from '../support/smtpSink';
import { tempSqlite, type TestDatabase } from '../support/databases';
import { BD, TOKEN, workflowHttp } from '../support/testApp';

// The product as its own process (started as `npm start` starts it) and a real SMTP server
// in this one, with a login: the e-mails cross a process boundary over SMTP on loopback as
// they would to a relay. A partner's first steps each bring one e-mail, and a restart of the
// product sends none again.

const FROM = 'Partner Onboarding <onboarding@onboarding.example>';
let sink: SmtpSink;
let db: TestDatabase;
let product: Running | undefined;

const env = () => ({
  DATABASE_URL: db.url,
  WORKFLOW_API_TOKEN: TOKEN,
  BD_USER_IDS: BD,
  NOTIFY_POLL_MS: '50',
  SMTP_URL: sink.url,
  MAIL_FROM: FROM,
});

beforeAll(async () => {
  sink = await new SmtpSink({ user: 'relay', pass: 'relay secret' }).start();
  db = tempSqlite();
});
afterAll(async () => {
  product?.child.kill('SIGKILL');
  await sink.stop();
  await db.drop();
});

async function stopProduct(): Promise<void> {
  product!.child.kill('SIGTERM');
  await product!.exited;
  product = undefined;
}

test('a partner’s submission and approval reach the SMTP server from the product’s own process, once each', async () => {
  product = await startProcess(env());
  const http = workflowHttp(product.url);
  const address = 'ops@process-mail.example';
  const walk = await Walk.register(http, 'partner-process-mail', {
    companyName: 'Process Mail Co',
    contactEmail: address,
  });
  await walk.toDraft();
  await walk.completeBasics();
  await walk.act('submit', walk.partner);
  await walk.act('approve', BD, validPayload('approve'));

  const [submitted, approved] = await sink.waitFor(address, 2, 20_000);
  expect(submitted.subject).toBe('Process Mail Co: application submitted, under review');
  expect(submitted.from).toBe('onboarding@onboarding.example');
  expect(submitted.text).toContain('within 3 working days');
  expect(approved.subject).toBe('Process Mail Co: congratulations on passing the qualification');

  // Restarted on the same database, the product has nothing left to send.
  await stopProduct();
  product = await startProcess(env());
  await new Promise((r) => setTimeout(r, 1500));
  expect(sink.to(address).map((m) => m.subject)).toEqual([submitted.subject, approved.subject]);
}, 60_000);
