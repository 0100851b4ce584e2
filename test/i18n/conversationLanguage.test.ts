import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { driveTo, validPayload, Walk } from '../support/journey';
import { outboxDrained } from '../support/outbox';
import { BD, BD2, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// A conversation's language (DESIGN.md): the activity's locale unless the person chose one in
// chat; the choice is remembered in user state, and notifications, card updates and
// reminders reach each person in their own language, through the real adapter and dispatcher.

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;
let now = Date.now();
let seq = 0;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp({
    clock: () => new Date(now),
    env: { NOTIFY_POLL_MS: '20', REMINDER_INTERVAL_MS: '3600000' },
  });
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

function person(userId: string, locale?: string): ChatUser {
  const p = new ChatUser(t.url, stub, userId, `conv-lang-${++seq}`);
  p.locale = locale;
  return p;
}
const hasHan = (s: string) => /[\u4e00-\u9fff]/.test(s);

test('a zh-CN locale gets Simplified Chinese from the first word, prompts and cards included', async () => {
  const partner = person('partner-lang-zh', 'zh-CN');
  const hello = textOf(await partner.say('你好'));
  expect(hello).toContain('申请前的准备');
  expect(hello).toContain('阿里云国际站账号注册');
  expect(hello).toContain('您是否已注册阿里云国际站账号');
  expect(textOf(await partner.say('是'))).toContain('请输入公司名称');
  await partner.say('杭州语言测试有限公司');
  expect(textOf(await partner.say(uid()))).toContain('联系邮箱');
  const registered = await partner.say('li@lang.example.com');
  const card = JSON.stringify(registered.map((r) => r.attachments));
  expect(card).toContain('注册完成');
  expect(card).toContain('当前步骤：**阿里云国际站账号注册与企业实名认证**');
  expect(card).toContain('申请资质审核'); // the button
  expect(card).not.toMatch(/Request qualification review|Current step/);
});

test('en-US and zh-TW: English and Chinese; "不" declines the certification with FAQ Q1 in Chinese', async () => {
  const en = person('partner-lang-en', 'en-US');
  expect(textOf(await en.say('hello'))).toContain('Before you apply');
  const tw = person('partner-lang-tw', 'zh-TW');
  await tw.say('开始');
  expect(textOf(await tw.say('不'))).toContain('去认证');
});

test('"language" offers both; a choice made in chat beats the locale, survives the conversation and reprompts', async () => {
  const partner = person('partner-lang-choose', 'en-US');
  await partner.say('start');
  expect(textOf(await partner.say('yes'))).toContain('company name');
  const offer = await partner.say('language');
  const chinese = findButton(offer, (d) => d.verb === 'language.choose' && d.language === 'zh-CN')!;
  expect(findButton(offer, (d) => d.language === 'en')).toBeDefined();
  // Choosing does not cancel the registration: the company-name prompt comes back in Chinese.
  const chosen = textOf(await partner.say(chinese.data));
  expect(chosen).toContain('接下来我会用中文与您交流');
  expect(chosen).toContain('请输入公司名称');
  // The locale still says en-US; the remembered choice wins, and the answers so far are kept.
  expect(textOf(await partner.say('Chosen Language Co'))).toContain('主 UID');
  const other = new ChatUser(t.url, stub, partner.userId, 'conv-lang-second');
  other.locale = 'en-US';
  expect(textOf(await other.say('help'))).toContain('我会一步步引导您');
  // Typed on its own, a language name chooses it too.
  expect(textOf(await other.say('English'))).toContain('I will speak English');
  expect(textOf(await other.say('help'))).toContain('I guide you');
});

test('notifications reach each person in their own language: the partner in Chinese, the BD in English', async () => {
  const partner = person('partner-lang-notify', 'zh-CN');
  const bd = person(BD, 'en-US');
  const bd2 = person(BD2, 'en-GB');
  for (const p of [partner, bd, bd2]) await p.say('help');
  await bd2.say('中文'); // bd-bob chose Chinese in chat; his locale stays en-GB
  const walk = await Walk.register(http, partner.userId, { companyName: 'Bilingual Notify Co' });
  const posts = (p: ChatUser) => stub.for(p.conversationId).filter((r) => r.method === 'POST');
  const puts = (p: ChatUser) => stub.for(p.conversationId).filter((r) => r.method === 'PUT');
  const mark = () => new Map([partner, bd, bd2].map((p) => [p, posts(p).length]));
  const since = (m: Map<ChatUser, number>, p: ChatUser) =>
    textOf(
      posts(p)
        .slice(m.get(p))
        .map((r) => r.activity),
    );
  const step = async (action: string, actor: string, payload: Record<string, unknown> = {}) => {
    const m = mark();
    await walk.act(action, actor, payload);
    await outboxDrained(t.app.store.db, walk.id);
    return (p: ChatUser) => since(m, p);
  };

  let got = await step('request-qualification-review', partner.userId);
  expect(got(bd)).toContain('Bilingual Notify Co asks for the qualification review');
  expect(got(bd)).toContain('Interview passed: issue invitation'); // the card, in English
  expect(got(bd2)).toContain('Bilingual Notify Co 申请资质审核');
  expect(got(bd2)).toContain('面试通过：发出邀请');

  const bobPuts = puts(bd2).length;
  got = await step('invite', BD);
  expect(got(partner)).toContain('您的 BD 已向您发出邀请');
  expect(got(partner)).toMatch(/有效期至 \d{4}年\d{1,2}月\d{1,2}日/);
  // bd-bob's card is updated in place, in his language.
  expect(puts(bd2).length).toBe(bobPuts + 1);
  expect(textOf([puts(bd2).at(-1)!.activity])).toContain(`${BD} 于`);
  expect(textOf([puts(bd2).at(-1)!.activity])).toContain('发出邀请');

  await walk.act('accept-invitation', partner.userId, { invitationCode: walk.app.invitationCode });
  await walk.completeBasics();
  await outboxDrained(t.app.store.db, walk.id);
  got = await step('submit', partner.userId);
  expect(got(bd)).toMatch(/submitted the application: please review it by \d{1,2} \w{3} \d{4}/);
  got = await step('approve', BD);
  expect(got(partner)).toContain('恭喜您通过资质审核');
  got = await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  expect(got(partner)).toContain('您的决策单已准备好');
  expect(got(partner)).toContain('佣金政策信息'); // the terms card
  expect(got(partner)).toContain('确认商务条款');
  got = await step('request-modification', partner.userId, {
    description: '结算周期应为按季度，而不是按月。',
  });
  expect(got(bd)).toContain('asks to modify the decision sheet: "结算周期应为按季度，而不是按月。"');
  got = await step('fill-decision-sheet', BD, validPayload('fill-decision-sheet'));
  expect(got(partner)).toContain('您的修改申请已处理');
  got = await step('confirm-terms', partner.userId);
  expect(got(bd)).toContain('confirmed the business terms');
  got = await step('record-contract-signed', BD, { contractId: 'C-9' });
  expect(got(partner)).toContain('合同已签署');
  got = await step('activate-acpn', BD);
  expect(got(partner)).toContain('ACPN 权限已开通');
  // After the help each asked for, nothing the partner received was without Chinese, and nothing
  // the BD received was in Chinese but the partner's own words.
  const all = (p: ChatUser) =>
    posts(p)
      .slice(1)
      .map((r) => textOf([r.activity]));
  expect(all(partner).filter((x) => !hasHan(x))).toEqual([]);
  expect(all(partner).length).toBe(6); // invite, approve, two decision sheets, contract, ACPN
  expect(all(bd).filter((x) => hasHan(x.replace('结算周期应为按季度，而不是按月。', '')))).toEqual([]);
  expect(all(bd).length).toBe(5); // review asked, invitation accepted, submitted, modification, terms confirmed
});

test('a reminder reaches the BD in the language they chose', async () => {
  const bd = person(BD2, 'en-US'); // bd-bob chose 中文 above: user state, whatever the locale
  await bd.say('help');
  const app = await driveTo(http, 'partner-lang-remind', 'submitted', BD2);
  await outboxDrained(t.app.store.db, app.id);
  const before = stub.received.length;
  now = Date.parse(app.body.dueDate) - 3600_000;
  try {
    const sent = (await t.app.notify.reminders.tick()).filter((r) => r.applicationId === app.id);
    expect(sent).toEqual([{ applicationId: app.id, kind: 'due-soon', to: [BD2] }]);
  } finally {
    now = Date.now();
  }
  // Whichever of bd-bob's conversations it reached (the newest reference), it is in Chinese.
  const reminders = stub.received.slice(before).map((r) => textOf([r.activity]));
  expect(reminders).toEqual([
    expect.stringMatching(/^提醒：.+正在等待您处理（“申请审核中”），截止时间为 \d{4}年/),
  ]);
});
