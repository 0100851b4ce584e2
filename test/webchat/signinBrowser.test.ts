import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launch } from '../support/browserChat';
import { startTestApp, type TestApp } from '../support/testApp';

// The sign-in page (/chat) in Debian's Chromium against the dev channel, in both languages:
// the partner types their e-mail, the code arrives (kept on this development instance and
// listed on the dev chat page), they type it and Web Chat opens as the user the server bound
// the token to; the page's own token cannot write as anybody else. Screenshots go to a temp
// folder (printed).

if (!hasChromium)
  console.log(`SKIPPED: sign-in browser test (no Chromium at ${CHROMIUM}; .ci/run installs it)`);
const ARTIFACTS = process.env.BROWSER_ARTIFACTS ?? path.join(os.tmpdir(), 'onboarding-browser');

let t: TestApp;
let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launch>> | undefined;
const problems: string[] = [];

(hasChromium ? describe : describe.skip)('Web Chat sign-in in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    console.log(`browser screenshots: ${ARTIFACTS}`);
    t = await startTestApp({ env: { NOTIFY_POLL_MS: '50' } });
    browser = await launch({ width: 1000, height: 760 });
    context = browser.context;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function newPage(name: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        const text = m.text();
        console.log(`[${name} console] ${text.slice(0, 300)}`);
        if (/Content Security Policy|Refused to/i.test(text)) problems.push(text);
      }
    });
    return page;
  }

  async function transcript(page: Page, text: string, timeout = 15_000): Promise<string> {
    try {
      await page.waitForFunction(
        (t) =>
          (
            (globalThis as any).document.querySelector('.webchat__basic-transcript')?.textContent ?? ''
          ).includes(t),
        text,
        { timeout },
      );
    } catch (err) {
      await page.screenshot({ path: path.join(ARTIFACTS, `signin-failed-${text.replace(/\W+/g, '-')}.png`) });
      throw err;
    }
    return (await page.locator('.webchat__basic-transcript').textContent()) ?? '';
  }

  async function codeFor(address: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const kept = (await (
        await fetch(`${t.url}/devchat/emails?to=${encodeURIComponent(address)}`)
      ).json()) as any[];
      const mail = kept.find((m) => m.kind === 'email.signin');
      if (mail) return /(\d{6})/.exec(mail.text)![1];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no code for ${address}`);
  }

  async function signIn(page: Page, address: string, lang: 'en' | 'zh-CN', shots: string) {
    await page.goto(`${t.url}/chat?lang=${lang}`);
    await page.waitForSelector('#email');
    await page.screenshot({ path: path.join(ARTIFACTS, `${shots}-1-email.png`) });
    await page.fill('#email', address);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#code', { state: 'visible' });
    const code = await codeFor(address);
    // A wrong code first: the page says so and stays.
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => ((globalThis as any).document.getElementById('code-error').textContent ?? '') !== '',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, `${shots}-2-code.png`) });
    await page.fill('#code', code);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 20_000 });
  }

  test('English: e-mail, code, then Web Chat as the user the token is bound to; a reload keeps the session', async () => {
    const page = await newPage('signin-en');
    await signIn(page, 'wang.fang@browser-partner.example', 'en', 'signin-en');
    expect(await page.locator('#code-error').textContent()).toBe('');
    await transcript(page, 'Welcome');
    await page.fill('[data-id="webchat-sendbox-input"]', 'hi');
    await page.keyboard.press('Enter');
    await transcript(page, 'completed enterprise certification?');
    // Connected for good (the WebSocket the policy allows), not stuck at "Connecting…".
    await page.waitForTimeout(2500);
    expect(await page.locator('.webchat__connectivityStatus').count()).toBe(0);
    expect(await page.locator('#who').textContent()).toBe('Signed in as wang.fang@browser-partner.example');
    await page.screenshot({ path: path.join(ARTIFACTS, 'signin-en-3-chat.png') });

    // The page's token writes only as its own user: another from.id is refused by the channel.
    const forged = await page.evaluate(async () => {
      const s = JSON.parse((globalThis as any).sessionStorage.getItem('webchat:session'));
      const res = await fetch(`${s.directLine}/conversations/${s.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'status', from: { id: 'dev-partner' } }),
      });
      return { status: res.status, userId: s.userId };
    });
    expect(forged.status).toBe(403);
    expect(forged.userId).toMatch(/^dl_/);

    await page.reload();
    await transcript(page, 'completed enterprise certification?');
    await page.close();
  }, 60_000);

  test('Chinese: the page, the code e-mail and the chat in Chinese; the dev chat page lists the e-mails', async () => {
    const page = await newPage('signin-zh');
    await signIn(page, 'li.na@browser-partner.example', 'zh-CN', 'signin-zh');
    await transcript(page, '欢迎');
    await page.fill('[data-id="webchat-sendbox-input"]', '你好');
    await page.keyboard.press('Enter');
    await transcript(page, '企业实名认证');
    expect(await page.locator('h1').textContent()).toBe('阿里云合作伙伴入驻');
    await page.screenshot({ path: path.join(ARTIFACTS, 'signin-zh-3-chat.png') });
    await page.close();

    const dev = await newPage('devchat-mail');
    await dev.goto(`${t.url}/?as=bd&lang=zh-CN`);
    await dev.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 20_000 });
    await dev.waitForFunction(() =>
      /（[1-9]\d*）/.test((globalThis as any).document.getElementById('mail-toggle').textContent),
    );
    await dev.click('#mail-toggle');
    await dev.locator('#mail details').first().click();
    await dev.waitForTimeout(300);
    await dev.screenshot({ path: path.join(ARTIFACTS, 'devchat-emails.png') });
    const subjects = await dev.locator('#mail summary').allTextContents();
    expect(
      subjects.some(
        (s) => s.includes('合作伙伴入驻聊天的登录验证码') && s.includes('li.na@browser-partner.example'),
      ),
    ).toBe(true);
    expect(
      subjects.some(
        (s) => s.includes('Your sign-in code') && s.includes('wang.fang@browser-partner.example'),
      ),
    ).toBe(true);
    await dev.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
