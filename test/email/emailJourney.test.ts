import { ChatUser, ConnectorStub, textOf } from '../support/connectorStub';
import { validPayload, Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { SmtpSink } from '../support/smtpSink';
import { BD, BD2, SUPPORT, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// The product with SMTP_URL at a real SMTP server on loopback: through the real dispatcher,
// webhook and notifier, a partner receives exactly the guide's e-mails, once each, in their
// language; a relay's 451 is retried until it accepts, a 550 is recorded and shown to staff;
// the partner's choice of e-mail, chat or both and a changed contact e-mail hold from the next event.

const FROM = 'Partner Onboarding <onboarding@onboarding.example>';
const BOB_MAIL = 'bob@alibaba.example';
let t: TestApp;
let stub: ConnectorStub;
let sink: SmtpSink;
let http: ReturnType<typeof workflowHttp>;
let bd: ChatUser;
let support: ChatUser;
let n = 0;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  sink = await new SmtpSink({ user: 'relay-user', pass: 'relay p@ss' }).start();
  t = await startTestApp({
    env: {
      NOTIFY_POLL_MS: '20',
      SMTP_URL: sink.url,
      MAIL_FROM: FROM,
      MAIL_MAX_ATTEMPTS: '3',
      STAFF_EMAILS: `${BD}=alice@alibaba.example,${BD2}=${BOB_MAIL}`,
      CHAT_URL: 'https://onboarding.example/chat',
    },
  });
  http = workflowHttp(t.url);
  bd = new ChatUser(t.url, stub, BD, 'conv-mail-bd');
  support = new ChatUser(t.url, stub, SUPPORT, 'conv-mail-support');
  await bd.say('help');
  await support.say('help');
}, 30_000);
afterAll(async () => {
  await t.stop();
  await stub.stop();
  await sink.stop();
});

/** A partner with a chat (in `locale`) and an application registered with a contact e-mail of its own. */
async function partnerWith(company: string, locale?: string) {
  n++;
  const address = `contact-${n}@partner${n}.example`;
  const partner = new ChatUser(t.url, stub, `partner-mail-${n}`);
  partner.locale = locale;
  await partner.say('help');
  const walk = await Walk.register(http, partner.userId, { companyName: company, contactEmail: address });
  return { partner, walk, address };
}

const settled = (id: string) => outboxDrained(t.app.store.db, id, 20_000);
const subjects = (address: string) => sink.to(address).map((m) => m.subject);
/** What a person reads: the text with the Markdown escapes taken out. */
const readable = (replies: any[]) => textOf(replies).replace(/\\/g, '');
const chatPosts = (p: ChatUser) => stub.for(p.conversationId).filter((r) => r.method === 'POST');

test('a Chinese-speaking partner driven through the journey receives exactly the guide’s e-mails, once each, in Chinese', async () => {
  const { partner, walk, address } = await partnerWith('杭州示例科技有限公司', 'zh-CN');
  await walk.toDraft();
  await walk.completeBasics();
  // Each step delivered before the next, as people take their time (an e-mail tells of the application as it is then).
  const step = async (action: string, actor: string, payload: Record<string, unknown> = {}) => {
    await walk.act(action, actor, payload);
    await settled(walk.id);
  };
  await step('submit', partner.userId);
  await step('approve', BD);
  await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  await step('request-modification', partner.userId, validPayload('request-modification'));
  await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  await step('confirm-terms', partner.userId);
  await step('record-contract-signed', BD, { contractId: 'C-MAIL-1' });
  await step('activate-acpn', BD);
  await sink.waitFor(address, 6);
  await new Promise((r) => setTimeout(r, 300)); // nothing more comes

  expect(subjects(address)).toEqual([
    '杭州示例科技有限公司：申请已提交，正在审核',
    '杭州示例科技有限公司：恭喜您通过资质审核',
    '杭州示例科技有限公司：请确认商务条款',
    '杭州示例科技有限公司：修改已完成，请确认新的条款',
    '杭州示例科技有限公司：合同已签署',
    '杭州示例科技有限公司：ACPN 权限已开通',
  ]);
  const [submitted, , , , , active] = sink.to(address);
  expect(submitted.from).toBe('onboarding@onboarding.example');
  expect(submitted.text).toContain('3 个工作日内');
  expect(submitted.text).toMatch(/（\d{4}年\d{1,2}月\d{1,2}日 前）/); // the due date, as Chinese writes it
  expect(submitted.text).toContain('在聊天中继续：https://onboarding.example/chat');
  expect(submitted.html).toContain('<html lang="zh-CN">');
  expect(submitted.html).toContain('href="https://onboarding.example/chat"');
  expect(submitted.headers.get('auto-submitted')).toBe('auto-generated');
  expect(active.html).toContain('<a href="https://www.alibabacloud.com/">阿里云国际站</a>');
  expect(active.text).toContain('https://www.alibabacloud.com/');
  // One delivery row per (event, recipient, channel): six sent e-mails, all to this partner.
  const rows = await t.app.store.db
    .selectFrom('notification_deliveries')
    .select(['user_id', 'status', 'address', 'attempts'])
    .where('application_id', '=', walk.id)
    .where('channel', '=', 'email')
    .execute();
  expect(rows).toHaveLength(6);
  expect(rows.every((r) => r.status === 'sent' && r.address === address && r.attempts === 1)).toBe(true);
  // The chat messages went as before, in Chinese.
  expect(
    chatPosts(partner)
      .map((r) => textOf([r.activity]))
      .join('\n'),
  ).toContain('恭喜您通过资质审核');
}, 60_000);

test('a rejection e-mails the reason, as text: nothing the BD typed becomes markup or a link', async () => {
  const { partner, walk, address } = await partnerWith('Rejected Mail Co');
  await walk.toDraft();
  await walk.completeBasics();
  await walk.act('submit', partner.userId);
  const reason = 'Certification failed <b>twice</b>; see evil.example/x & call us';
  await walk.act('reject', BD, { reason });
  await settled(walk.id);
  const [, rejected] = await sink.waitFor(address, 2);
  expect(rejected.subject).toBe('Rejected Mail Co: your application was not approved');
  expect(rejected.text).toContain(`Reason given by your BD: ${reason}`);
  expect(rejected.html).not.toContain('<b>twice</b>');
  expect(rejected.html).toContain('&lt;b&gt;twice&lt;/b&gt;');
  expect(rejected.html).toContain('evil<span>.</span>example/x &amp; call us');
  expect(rejected.html).not.toMatch(/<a [^>]*evil/);
  expect(rejected.text).toMatch(/^Hello Li Wei,/);
});

test('a qualification review declined, and a rejection closed for good, are e-mailed with their reasons', async () => {
  const declined = await partnerWith('Declined Review Co');
  await declined.walk.act('request-qualification-review', declined.partner.userId);
  await declined.walk.act('decline', BD, { reason: 'No enterprise certification yet' });
  await settled(declined.walk.id);
  const [decline] = await sink.waitFor(declined.address, 1);
  expect(decline.subject).toBe('Declined Review Co: the qualification review was not passed');
  expect(decline.text).toContain('Reason given by your BD: No enterprise certification yet');
  expect(decline.text).toContain('ask for the review again');

  const closed = await partnerWith('Closed For Good Co');
  await closed.walk.toDraft();
  await closed.walk.completeBasics();
  await closed.walk.act('submit', closed.partner.userId);
  await closed.walk.act('reject', BD, { reason: 'Not an agency business', final: true });
  await settled(closed.walk.id);
  const [, rejected] = await sink.waitFor(closed.address, 2);
  expect(rejected.subject).toBe('Closed For Good Co: your application was not approved');
  expect(rejected.text).toContain('closed it for good');
  expect(rejected.text).toContain('It cannot be reopened');
});

test('a relay answering 451 is tried again with the backoff until it accepts: one e-mail', async () => {
  const { partner, walk, address } = await partnerWith('Greylisted Co');
  await walk.toDraft();
  await walk.completeBasics();
  sink.answer(address, [451]);
  const bdBefore = chatPosts(bd).length;
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  const mails = await sink.waitFor(address, 1);
  expect(mails.map((m) => m.subject)).toEqual(['Greylisted Co: application submitted, under review']);
  expect(sink.attempts.filter((a) => a.to === address).map((a) => a.code)).toEqual([451, 250]);
  const row = await t.app.store.db
    .selectFrom('notification_deliveries')
    .select(['status', 'attempts'])
    .where('application_id', '=', walk.id)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'sent', attempts: 2 });
  // The event came twice; the BD's chat message went once.
  const outbox = await t.app.store.db
    .selectFrom('outbox')
    .select('attempts')
    .where('application_id', '=', walk.id)
    .where('type', '=', 'submit')
    .executeTakeFirstOrThrow();
  expect(outbox.attempts).toBeGreaterThanOrEqual(2);
  const bdNew = chatPosts(bd)
    .slice(bdBefore)
    .filter((r) => textOf([r.activity]).includes('Greylisted Co submitted'));
  expect(bdNew).toHaveLength(1);
}, 30_000);

test('a relay answering 451 every time: recorded as failed after MAIL_MAX_ATTEMPTS, the event acknowledged', async () => {
  const { partner, walk, address } = await partnerWith('Always Busy Co');
  await walk.toDraft();
  await walk.completeBasics();
  sink.answer(address, [451, 451, 451, 451, 451]);
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  expect(sink.to(address)).toEqual([]);
  expect(sink.attempts.filter((a) => a.to === address)).toHaveLength(3);
  const row = await t.app.store.db
    .selectFrom('notification_deliveries')
    .select(['status', 'attempts', 'detail'])
    .where('application_id', '=', walk.id)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  expect(row.status).toBe('failed');
  expect(row.attempts).toBe(3);
  expect(row.detail).toContain('451');
  expect(row.detail).toContain('(3 attempts)');
}, 30_000);

test('a relay answering 550 is recorded as failed at once, and the BD and support see it on the application', async () => {
  const { partner, walk, address } = await partnerWith('Bounced Mail Co');
  await walk.toDraft();
  await walk.completeBasics();
  sink.answer(address, [550]);
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  expect(sink.attempts.filter((a) => a.to === address).map((a) => a.code)).toEqual([550]);
  const row = await t.app.store.db
    .selectFrom('notification_deliveries')
    .select(['status', 'detail'])
    .where('application_id', '=', walk.id)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  expect(row.status).toBe('failed');
  expect(row.detail).toContain('550');
  // The BD's review card (sent for this very event) is updated to show it.
  const card = stub
    .for(bd.conversationId)
    .filter((r) => JSON.stringify(r.activity).includes('Bounced Mail Co'))
    .at(-1)!;
  expect(card.method).toBe('PUT');
  expect(readable([card.activity])).toContain('E-mail not delivered');
  expect(readable([card.activity])).toContain(`${address}, `);
  // Support's lookup shows it too.
  const lookup = readable(await support.say('Bounced Mail Co'));
  expect(lookup).toContain('E-mail not delivered');
  expect(lookup).toContain('550');
  // And nothing is tried again: the next event's e-mail is its own.
  await walk.act('approve', BD);
  await settled(walk.id);
  expect(sink.attempts.filter((a) => a.to === address).map((a) => a.code)).toEqual([550, 250]);
}, 30_000);

test('a BD with no chat yet is e-mailed a new submission at their STAFF_EMAILS address; a BD with a chat is not', async () => {
  const { partner, walk } = await partnerWith('New Submission Co');
  await walk.toDraft(BD2); // bd-bob invites: the application is his; he never chatted
  await walk.completeBasics();
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  const [mail] = await sink.waitFor(BOB_MAIL, 1);
  expect(mail.subject).toMatch(
    /^New Submission Co submitted its application: please review it by \d{1,2} \w{3} \d{4}$/,
  );
  expect(mail.text).toMatch(/^Hello,/);
  expect(mail.text).toContain('type "queue"');
  // bd-alice has a chat: she is told there, never by e-mail.
  expect(sink.to('alice@alibaba.example')).toEqual([]);
});

test('the partner chooses e-mail, chat or both in the chat; each choice holds from the next event', async () => {
  const { partner, walk, address } = await partnerWith('Choosy Co');
  const offer = readable(await partner.say('notifications'));
  expect(offer).toContain('Now: e-mail and chat');
  expect(offer).toContain(`E-mails go to ${address}, the contact e-mail`);
  expect(offer).toContain('E-mail only');

  expect(textOf(await partner.say({ verb: 'notifications.choose', channels: 'chat' }))).toContain(
    'from the next update on, I tell you by chat',
  );
  await walk.toDraft();
  await walk.completeBasics();
  await walk.act('submit', partner.userId);
  await walk.act('approve', BD);
  await settled(walk.id);
  expect(sink.to(address)).toEqual([]);
  expect(textOf(chatPosts(partner).map((r) => r.activity))).toContain(
    'Congratulations on passing the qualification',
  );

  await partner.say({ verb: 'notifications.choose', channels: 'email' });
  const before = chatPosts(partner).length;
  await walk.act('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  await settled(walk.id);
  expect((await sink.waitFor(address, 1)).map((m) => m.subject)).toEqual([
    'Choosy Co: please confirm the business terms',
  ]);
  expect(chatPosts(partner).slice(before)).toEqual([]); // e-mailed, so not told in chat too

  await partner.say({ verb: 'notifications.choose', channels: 'both' });
  await walk.act('confirm-terms', partner.userId);
  await walk.act('record-contract-signed', BD, { contractId: 'C-2' });
  await settled(walk.id);
  await sink.waitFor(address, 2);
  expect(
    textOf(
      chatPosts(partner)
        .slice(before)
        .map((r) => r.activity),
    ),
  ).toContain('The contract is signed');
});

test('a changed contact e-mail takes effect for the next event', async () => {
  const { partner, walk, address } = await partnerWith('Moving Co');
  await walk.toDraft();
  await walk.completeBasics();
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  await sink.waitFor(address, 1);
  await walk.act('withdraw', partner.userId);
  const moved = `moved-${n}@moving.example`;
  await walk.act('update-application', partner.userId, { contactEmail: moved });
  await walk.act('submit', partner.userId);
  await settled(walk.id);
  expect((await sink.waitFor(moved, 1)).map((m) => m.subject)).toEqual([
    'Moving Co: application submitted, under review',
  ]);
  expect(sink.to(address)).toHaveLength(1);
});
