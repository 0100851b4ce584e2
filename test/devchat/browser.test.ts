import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launch } from '../support/browserChat';
import { startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// The dev chat page in Debian's Chromium: a partner tab submits the application card, a BD
// tab approves from the card it was sent, the partner tab shows the notification, and a
// FAQ question is answered with its citation. Screenshots go to a temp folder (printed).

if (!hasChromium) console.log(`SKIPPED: browser test (no Chromium at ${CHROMIUM}; .ci/run installs it)`);
const ARTIFACTS = process.env.BROWSER_ARTIFACTS ?? path.join(os.tmpdir(), 'onboarding-browser');

let t: TestApp;
let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launch>> | undefined;

(hasChromium ? describe : describe.skip)('the dev chat page in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    console.log(`browser screenshots: ${ARTIFACTS}`);
    t = await startTestApp({ env: { NOTIFY_POLL_MS: '50' } });
    browser = await launch({ width: 1100, height: 900 });
    context = browser.context;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function open(
    persona: string,
    opts: { base?: string; lang?: string; welcome?: string } = {},
  ): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        console.log(`[${persona} console] ${m.text().slice(0, 300)}`);
    });
    await page.goto(`${opts.base ?? t.url}/?as=${persona}${opts.lang ? `&lang=${opts.lang}` : ''}`);
    await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 20_000 });
    await transcript(page, opts.welcome ?? 'Welcome');
    return page;
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.fill('[data-id="webchat-sendbox-input"]', text);
    await page.keyboard.press('Enter');
  }

  /** Waits until the transcript shows `text`, and returns the transcript's text. */
  async function transcript(page: Page, text: string, timeout = 15_000): Promise<string> {
    try {
      await page.waitForFunction(
        // Runs in the page; `document` is the browser's (this file is type-checked without the DOM lib).
        (t) =>
          (
            (globalThis as any).document.querySelector('.webchat__basic-transcript')?.textContent ?? ''
          ).includes(t),
        text,
        { timeout },
      );
    } catch (err) {
      await page.screenshot({
        path: path.join(ARTIFACTS, `failed-waiting-${text.replace(/\W+/g, '-')}.png`),
      });
      throw err;
    }
    return (await page.locator('.webchat__basic-transcript').textContent()) ?? '';
  }

  /** Clicks the newest button with this title (cards further up may carry older ones). */
  async function press(page: Page, title: string): Promise<void> {
    await page.getByRole('button', { name: title, exact: true }).last().click();
  }

  async function fill(page: Page, label: string, value: string): Promise<void> {
    // Not exact: a required input's label ends with the renderer's " *".
    await page.getByLabel(label).last().fill(value);
  }

  /** The BD opens the decision sheet from the card, fills every field and sends it. */
  async function sendDecisionSheet(bd: Page): Promise<void> {
    await press(bd, 'Send decision sheet to the partner');
    const sheet: [string, string][] = [
      ['Contracting Alibaba Cloud entity', 'Alibaba Cloud (Singapore) Pte. Ltd.'],
      ['Partner tier', 'Registered'],
      ['Business region', 'Mainland China'],
      ['Effective date', '2026-12-01'],
      // A number input now: the per-cent sign is the card's (issue 13).
      ['Commission / discount rate', '12'],
      ['Settlement cycle', 'monthly'],
      ['Payment terms', '30 days after invoice'],
    ];
    for (const [label, value] of sheet) await fill(bd, label, value);
    await press(bd, 'Send decision sheet to the partner');
    await transcript(bd, 'Decision sheet sent');
  }

  test('two tabs, partner and BD, from "hi" to an active ACPN console; a FAQ answer cites the guide', async () => {
    const bd = await open('bd');
    const partner = await open('partner');
    const main = uid();

    // 2.1 steps 1-2: registration in the partner's tab.
    await say(partner, 'hi');
    await transcript(partner, 'completed enterprise certification?');
    await say(partner, 'yes');
    await transcript(partner, 'company name');
    await say(partner, 'Browser Journey Co');
    await transcript(partner, 'Main UID of the account');
    await say(partner, main);
    await transcript(partner, 'contact e-mail');
    await say(partner, 'ops@journey.example.com');
    await transcript(partner, 'Registered');
    await press(partner, 'Request qualification review');
    await transcript(partner, 'asked for the qualification review');

    // 2.1 steps 3-4: the BD's tab gets the request and issues the invitation.
    await transcript(bd, 'Browser Journey Co asks for the qualification review');
    await press(bd, 'Interview passed: issue invitation');
    const issued = await transcript(bd, 'Invitation issued');
    const code = issued.match(/Share this code with the partner: ([A-Z0-9]{4}-[A-Z0-9]{4})/)![1];
    await transcript(partner, 'Your BD issued your invitation');
    await say(partner, 'start');
    await transcript(partner, 'type the invitation code');
    await say(partner, code);
    await transcript(partner, 'Invitation accepted');
    await press(partner, 'Confirm');

    // 2.2: the basic information form, submitted from the card.
    await transcript(partner, 'Basic information');
    const form = partner.locator('.ac-adaptiveCard').last();
    await form.getByLabel('Business type').selectOption('reseller');
    await form.getByLabel('Company Master UID').fill(main);
    await form.getByLabel('Contact name').fill('Wang Fang');
    await form.getByLabel('Contact phone').fill('+86 21 5555 0000');
    await form.getByLabel('Country or region').fill('China');
    await partner.screenshot({ path: path.join(ARTIFACTS, '1-partner-form.png') });
    await form.getByRole('button', { name: 'Submit application' }).click();
    // Submitting is irreversible: the card says what it means first (issue 13).
    await press(partner, 'Yes, submit it');
    expect(await transcript(partner, 'Application submitted')).toContain('within 3 working days');

    // The BD approves from the review card it was sent, then fills the decision sheet.
    await transcript(bd, 'Browser Journey Co submitted the application');
    await press(bd, 'Approve');
    await fill(bd, 'Comment (optional)', 'Interview went well');
    await bd.screenshot({ path: path.join(ARTIFACTS, '2-bd-review-card.png') });
    await press(bd, 'Approve');
    await transcript(bd, 'approved. The partner has been told');
    await transcript(partner, 'Congratulations on passing the qualification');
    await partner.screenshot({ path: path.join(ARTIFACTS, '3-partner-notified.png') });

    await sendDecisionSheet(bd);

    // 2.3: the partner confirms the business terms from the card.
    await transcript(partner, 'Your decision sheet is ready');
    await press(partner, 'Confirm the business terms');
    await press(partner, 'Yes, I confirm these terms');
    await transcript(partner, 'Business terms confirmed');

    // 2.4 and 2.5: the BD records the contract and activates ACPN.
    await transcript(bd, 'confirmed the business terms');
    await press(bd, 'Record contract signed');
    await press(bd, 'Record contract signed');
    await transcript(partner, 'The contract is signed');
    await say(bd, 'queue');
    await transcript(bd, 'Activate ACPN permission');
    await press(bd, 'Activate ACPN permission');
    await press(bd, 'Yes, activate ACPN');
    await transcript(partner, 'ACPN is active: open the console');
    await partner.screenshot({ path: path.join(ARTIFACTS, '4-partner-acpn-active.png') });

    // A question is answered from the guide with its source.
    await say(partner, 'What is ACPN?');
    expect(await transcript(partner, 'FAQ Q5: What is ACPN')).toContain('Source:');
    await partner.screenshot({ path: path.join(ARTIFACTS, '5-partner-faq.png') });
    await bd.screenshot({ path: path.join(ARTIFACTS, '6-bd-final.png') });

    // Support looks the application up by part of its name and sees its history.
    const support = await open('support');
    await say(support, 'Browser Journey');
    // History in people's words (issue 13), not "activate-acpn by <id>".
    const found = await transcript(support, 'activated ACPN');
    expect(found).toContain('Browser Journey Co');
    await support.screenshot({ path: path.join(ARTIFACTS, '7-support-lookup.png') });

    const [app] = (await workflowHttp(t.url)('GET', '/applications', 'dev-partner')).body;
    expect(app.status).toBe('acpn_active');
  }, 120_000);

  /** What the bot said in this tab's conversation, read back over Direct Line: each message's text and its cards' words. */
  async function botSaid(base: string, page: Page): Promise<{ text: string; labels: string[] }[]> {
    const session = JSON.parse(
      await page.evaluate(() =>
        (globalThis as any).sessionStorage.getItem(
          'devchat:' + new URLSearchParams((globalThis as any).location.search).get('as'),
        ),
      ),
    );
    const res = await fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    const { activities } = (await res.json()) as { activities: any[] };
    return activities
      .filter((a) => a.from?.role === 'bot' && a.type === 'message')
      .map((a) => {
        const labels: string[] = [];
        const walk = (n: any) => {
          if (!n || typeof n !== 'object') return;
          if (Array.isArray(n)) return n.forEach(walk);
          // What a person reads as the bot's own words: headings and hints are checked with the text.
          if (typeof n.title === 'string' && (n.type?.startsWith('Action.') || 'value' in n))
            labels.push(n.title);
          if (typeof n.label === 'string') labels.push(n.label);
          for (const v of Object.values(n)) walk(v);
        };
        for (const att of a.attachments ?? []) walk(att.content);
        for (const action of a.suggestedActions?.actions ?? []) labels.push(action.title);
        return { text: a.text ?? '', labels };
      });
  }

  test('a zh-CN partner from "你好" to ACPN in Chinese, the BD in English on the same application, each notified in their own language', async () => {
    // Its own instance: the dev personas' ids are fixed, and the first test's partner is done.
    const zhApp = await startTestApp({ env: { NOTIFY_POLL_MS: '50' } });
    const base = zhApp.url;
    const pages: Page[] = [];
    try {
      const bd = await open('bd', { base, lang: 'en' });
      // The partner's page opens in the browser's English; the switch sets Web Chat's locale to zh-CN.
      const partner = await open('partner', { base });
      pages.push(bd, partner);
      await partner.selectOption('#language', 'zh-CN');
      await partner.waitForURL(/lang=zh-CN/);
      await partner.getByRole('button', { name: '新对话' }).click();
      await transcript(partner, '欢迎使用阿里云代理合作伙伴入驻助手');
      await partner.screenshot({ path: path.join(ARTIFACTS, 'zh-1-partner-welcome.png') });
      const main = uid();
      const company = '杭州浏览器测试科技有限公司';

      // 2.1 steps 1-2, in Chinese; the yes/no prompt offers 是 / 否.
      await say(partner, '你好');
      await transcript(partner, '您是否已注册阿里云国际站账号');
      await press(partner, '是');
      await transcript(partner, '请输入公司名称');
      await say(partner, company);
      await transcript(partner, '主 UID 是多少');
      await say(partner, main);
      await transcript(partner, '提醒邮件应发送到哪个联系邮箱');
      await say(partner, 'wang.fang@zh-journey.example.com');
      await transcript(partner, '注册完成');
      await partner.screenshot({ path: path.join(ARTIFACTS, 'zh-2-partner-registered.png') });
      await press(partner, '申请资质审核');
      await transcript(partner, '已通知您的 BD 进行资质审核');

      // 2.1 steps 3-4: the BD, in English, invites.
      await transcript(bd, `${company} asks for the qualification review`);
      await press(bd, 'Interview passed: issue invitation');
      const issued = await transcript(bd, 'Invitation issued');
      const code = issued.match(/Share this code with the partner: ([A-Z0-9]{4}-[A-Z0-9]{4})/)![1];
      await transcript(partner, '您的 BD 已向您发出邀请');
      await say(partner, '开始');
      await transcript(partner, '请输入 BD 提供给您的邀请码');
      await say(partner, code);
      await transcript(partner, '邀请已接受');
      await press(partner, '确认');

      // 2.2: the basic information form in Chinese.
      await transcript(partner, '签约流程：阿里云代理合作伙伴 ·');
      const form = partner.locator('.ac-adaptiveCard').last();
      await form.getByLabel('业务类型').selectOption('reseller');
      await form.getByLabel('公司主账号 UID').fill(main);
      await form.getByLabel('联系人姓名').fill('王芳');
      await form.getByLabel('联系电话').fill('+86 571 5555 0000');
      await form.getByLabel('国家或地区').fill('中国');
      await partner.screenshot({ path: path.join(ARTIFACTS, 'zh-3-partner-form.png'), fullPage: true });
      await form.getByRole('button', { name: '提交申请' }).click();
      await press(partner, '确认提交');
      expect(await transcript(partner, '申请已提交')).toMatch(/3 个工作日内（\d{4}年\d{1,2}月\d{1,2}日 前）/);

      // The BD approves and fills the decision sheet, all in English.
      await transcript(bd, `${company} submitted the application`);
      await press(bd, 'Approve');
      await fill(bd, 'Comment (optional)', 'Interview went well');
      await press(bd, 'Approve');
      await transcript(bd, 'approved. The partner has been told');
      await bd.screenshot({ path: path.join(ARTIFACTS, 'zh-4-bd-review.png') });
      await transcript(partner, '恭喜您通过资质审核！');
      await partner.screenshot({ path: path.join(ARTIFACTS, 'zh-4-partner-notified.png') });
      await sendDecisionSheet(bd);

      // 2.3: the partner's decision sheet, labels in Chinese, and the confirmation.
      await transcript(partner, '您的决策单已准备好');
      await transcript(partner, '佣金政策信息');
      const terms = partner.locator('.ac-adaptiveCard').last();
      await terms.scrollIntoViewIfNeeded();
      await partner.screenshot({ path: path.join(ARTIFACTS, 'zh-5-partner-terms.png') });
      await press(partner, '确认商务条款');
      await press(partner, '确认这些条款');
      await transcript(partner, '商务条款已确认');

      // 2.4 and 2.5.
      await transcript(bd, 'confirmed the business terms');
      await press(bd, 'Record contract signed');
      await press(bd, 'Record contract signed');
      await transcript(partner, '合同已签署');
      await say(bd, 'queue');
      await transcript(bd, 'Activate ACPN permission');
      await press(bd, 'Activate ACPN permission');
      await press(bd, 'Yes, activate ACPN');
      await transcript(partner, 'ACPN 权限已开通');
      await say(partner, '状态');
      await transcript(partner, '目前没有待处理的事项');
      await partner.screenshot({
        path: path.join(ARTIFACTS, 'zh-6-partner-acpn-active.png'),
        fullPage: true,
      });
      await bd.screenshot({ path: path.join(ARTIFACTS, 'zh-7-bd-final.png'), fullPage: true });

      // Every message and button the partner got is Chinese; the BD's are English but the company's name.
      const han = /[\u4e00-\u9fff]/;
      const partnerSaw = await botSaid(base, partner);
      expect(partnerSaw.length).toBeGreaterThan(15);
      expect(partnerSaw.filter((m) => m.text && !han.test(m.text)).map((m) => m.text)).toEqual([]);
      const english = partnerSaw
        .flatMap((m) => m.labels)
        .filter((l) => !han.test(l) && !/^[\d\s+-]*$/.test(l));
      expect(english).toEqual([]);
      const bdSaw = await botSaid(base, bd);
      const chineseToBd = bdSaw
        .map((m) => [m.text, ...m.labels].join(' ').replaceAll(company, '').replace('English or 中文', ''))
        .filter((x) => han.test(x));
      expect(chineseToBd).toEqual([]);
      expect(bdSaw.map((m) => m.text).join('\n')).toContain(`${company} confirmed the business terms`);

      const [app] = (await workflowHttp(base)('GET', '/applications', 'dev-partner')).body;
      expect(app.status).toBe('acpn_active');
    } finally {
      // Web Chat's sockets would hold the server open.
      for (const p of pages) await p.close();
      await zhApp.stop();
    }
  }, 150_000);
});
