import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { BD, startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// The dev chat page in Debian's Chromium: a partner tab submits the application card, a BD
// tab approves from the card it was sent, the partner tab shows the notification, and a
// FAQ question is answered with its citation. Screenshots go to test-artifacts/browser/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.log(`SKIPPED: browser test (no Chromium at ${CHROMIUM}; .ci/run installs it)`);
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/browser');

let t: TestApp;
let context: BrowserContext;
let profile: string;

(hasChromium ? describe : describe.skip)('the dev chat page in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp({ env: { NOTIFY_POLL_MS: '50' } });
    const { chromium } = await import('playwright-core');
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'devchat-browser-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1100, height: 900 },
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await t?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  async function open(persona: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        console.log(`[${persona} console] ${m.text().slice(0, 300)}`);
    });
    await page.goto(`${t.url}/?as=${persona}`);
    await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 20_000 });
    await transcript(page, 'Welcome');
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
        (t) => (document.querySelector('.webchat__basic-transcript')?.textContent ?? '').includes(t),
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

  test('partner submits, BD approves from the card it was sent, partner is notified; FAQ cites the guide', async () => {
    // The partner's application is ready for its form (registered, invited, invitation accepted).
    const http = workflowHttp(t.url);
    const partnerId = 'dev-partner';
    const main = uid();
    const reg = await http('POST', '/applications', partnerId, {
      companyName: 'Browser Test Trading Co',
      mainUid: main,
      contactEmail: 'web@browser.example.com',
    });
    let app = reg.body;
    const act = async (action: string, actor: string, payload: Record<string, unknown> = {}) => {
      const r = await http('POST', `/applications/${app.id}/actions/${action}`, actor, {
        expectedVersion: app.version,
        payload,
      });
      expect(r.status).toBe(200);
      app = r.body;
    };
    await act('request-qualification-review', partnerId);
    await act('invite', BD);
    await act('accept-invitation', partnerId, { invitationCode: app.invitationCode });
    await act('update-application', partnerId, { companyInfoConfirmed: true });

    const bd = await open('bd');
    const partner = await open('partner');

    // The partner fills the form card and submits it.
    await say(partner, 'start');
    await transcript(partner, 'Basic information');
    const form = partner.locator('.ac-adaptiveCard').last();
    await form.getByLabel('Business type').selectOption('reseller');
    await form.getByLabel('Company Master UID').fill(main);
    await form.getByLabel('Contact name').fill('Wang Fang');
    await form.getByLabel('Contact phone').fill('+86 21 5555 0000');
    await form.getByLabel('Country or region').fill('China');
    await partner.screenshot({ path: path.join(ARTIFACTS, '1-partner-form.png') });
    await form.getByRole('button', { name: 'Submit application' }).click();
    expect(await transcript(partner, 'Application submitted')).toContain('within 3 working days');

    // The BD's tab receives the review card and approves from it.
    await transcript(bd, 'Browser Test Trading Co submitted the application');
    const card = bd.locator('.ac-adaptiveCard', { hasText: 'Browser Test Trading Co' }).last();
    await card.getByRole('button', { name: 'Approve' }).first().click();
    await card.getByLabel('Comment (optional)').fill('Interview went well');
    await bd.screenshot({ path: path.join(ARTIFACTS, '2-bd-review-card.png') });
    await card.getByRole('button', { name: 'Approve' }).last().click();
    expect(await transcript(bd, 'approved. The partner has been told')).toContain('Browser Test Trading Co');

    // The partner's tab shows the notification.
    await transcript(partner, 'Congratulations on passing the qualification');
    await partner.screenshot({ path: path.join(ARTIFACTS, '3-partner-notified.png') });

    // A question is answered from the guide with its source.
    await say(partner, 'What is ACPN?');
    const answered = await transcript(partner, '[faq-q5]');
    expect(answered).toContain('Source:');
    await partner.screenshot({ path: path.join(ARTIFACTS, '4-partner-faq.png') });

    const stored = await http('GET', `/applications/${app.id}`, partnerId);
    expect(stored.body.status).toBe('qualified');
  }, 90_000);
});
