import { ChatUser, ConnectorStub, findButton, textOf } from '../support/connectorStub';
import { driveTo } from '../support/journey';
import { BD, SUPPORT, startTestApp, workflowHttp, type TestApp } from '../support/testApp';

// What people type, in English and Chinese, is understood where it is the natural answer:
// commands with what follows them, a step's action said in words, yes and no in phrases.

let t: TestApp;
let stub: ConnectorStub;
let http: ReturnType<typeof workflowHttp>;
let n = 0;

beforeAll(async () => {
  stub = await new ConnectorStub().start();
  t = await startTestApp();
  http = workflowHttp(t.url);
});
afterAll(async () => {
  await t.stop();
  await stub.stop();
});

function partner(locale?: string): ChatUser {
  const p = new ChatUser(t.url, stub, `partner-phrases-${++n}`);
  p.locale = locale;
  return p;
}

test.each([
  [
    'en-US',
    'withdraw',
    'Withdraw the application?',
    'not yet',
    'OK, nothing was changed',
    'yes',
    'Application withdrawn',
  ],
  ['zh-CN', '撤回申请', '确认撤回申请吗？', '还没', '好的，没有做任何更改', '是的', '申请已撤回'],
])(
  '%s: "%s" while under review offers the withdrawal; no keeps it, yes withdraws',
  async (locale, say, asked, no, kept, yes, done) => {
    const p = partner(locale);
    const app = await driveTo(http, p.userId, 'submitted');
    expect(textOf(await p.say(say))).toContain(asked);
    expect(textOf(await p.say(no))).toContain(kept);
    expect((await http('GET', `/applications/${app.id}`, p.userId)).body.status).toBe('submitted');
    await p.say(say);
    expect(textOf(await p.say(yes))).toContain(done);
    expect((await http('GET', `/applications/${app.id}`, p.userId)).body.status).toBe('draft');
  },
);

test.each([
  ['en-US', 'I agree with the terms', 'yes that is correct', 'Business terms confirmed'],
  ['zh-CN', '同意条款', '确认', '商务条款已确认'],
])('%s: "%s" confirms the terms after a summary and a yes', async (locale, say, yes, done) => {
  const p = partner(locale);
  const app = await driveTo(http, p.userId, 'terms_pending');
  const asked = await p.say(say);
  expect(findButton(asked, (d) => d.action === 'confirm-terms')).toBeDefined();
  expect(textOf(await p.say(yes))).toContain(done);
  expect((await http('GET', `/applications/${app.id}`, p.userId)).body.status).toBe('awaiting_contract');
});

test('"I don\'t agree" is not a yes; a negated answer leaves the terms waiting', async () => {
  const p = partner();
  const app = await driveTo(http, p.userId, 'terms_pending');
  await p.say('I agree with the terms');
  expect(textOf(await p.say("I don't agree"))).toContain('the terms wait for you');
  expect((await http('GET', `/applications/${app.id}`, p.userId)).body.status).toBe('terms_pending');
});

test('"withdraw" when there is nothing under review says so, and does not quote the guide', async () => {
  const p = partner();
  await driveTo(http, p.userId, 'draft');
  const said = textOf(await p.say('withdraw'));
  expect(said).toContain('is not possible at this step');
  expect(said).not.toContain('Source:');
});

test("a BD looks up in one line, in either language; support's desk answers 工单", async () => {
  await driveTo(http, 'partner-phrases-lookup', 'invited', BD, { companyName: 'Shenzhen Bright Star Ltd' });
  const bd = new ChatUser(t.url, stub, BD, 'conv-phrases-bd');
  for (const typed of ['lookup Shenzhen', '查询 Bright Star', 'find bright']) {
    const found = await bd.say(typed);
    expect([typed, textOf(found).includes('Shenzhen Bright Star Ltd')]).toEqual([typed, true]);
    expect(findButton(found, (d) => d.action === 'reissue-invitation')).toBeDefined();
  }
  const support = new ChatUser(t.url, stub, SUPPORT, 'conv-phrases-support');
  support.locale = 'zh-CN';
  expect(textOf(await support.say('工单'))).toContain('未处理的工单');
  // Text that matches no application is a question, with or without "?".
  expect(textOf(await support.say('Main UID'))).not.toContain('没有与');
});
