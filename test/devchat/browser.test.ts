import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, uid, workflowHttp, type TestApp } from '../support/testApp';

// The dev chat page in Debian's Chromium: a partner tab submits the application card, a BD
// tab approves from the card it was sent, the partner tab shows the notification, and a
// FAQ question is answered with its citation. Screenshots go to a temp folder (printed).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.log(`SKIPPED: browser test (no Chromium at ${CHROMIUM}; .ci/run installs it)`);
const ARTIFACTS = process.env.BROWSER_ARTIFACTS ?? path.join(os.tmpdir(), 'onboarding-browser');

let t: TestApp;
let context: BrowserContext;
let profile: string;

(hasChromium ? describe : describe.skip)('the dev chat page in a browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    console.log(`browser screenshots: ${ARTIFACTS}`);
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

    await press(bd, 'Send decision sheet to the partner');
    const sheet: [string, string][] = [
      ['Contracting Alibaba Cloud entity', 'Alibaba Cloud (Singapore) Pte. Ltd.'],
      ['Partner tier', 'Registered'],
      ['Business region', 'Mainland China'],
      ['Effective date', '2026-12-01'],
      ['Commission / discount rate', '12%'],
      ['Settlement cycle', 'monthly'],
      ['Payment terms', '30 days after invoice'],
    ];
    for (const [label, value] of sheet) await fill(bd, label, value);
    await press(bd, 'Send decision sheet to the partner');
    await transcript(bd, 'Decision sheet sent');

    // 2.3: the partner confirms the business terms from the card.
    await transcript(partner, 'Your decision sheet is ready');
    await press(partner, 'Confirm the business terms');
    await transcript(partner, 'Business terms confirmed');

    // 2.4 and 2.5: the BD records the contract and activates ACPN.
    await transcript(bd, 'confirmed the business terms');
    await press(bd, 'Record contract signed');
    await press(bd, 'Record contract signed');
    await transcript(partner, 'The contract is signed');
    await say(bd, 'queue');
    await transcript(bd, 'Activate ACPN permission');
    await press(bd, 'Activate ACPN permission');
    await transcript(partner, 'ACPN is active: open the console');
    await partner.screenshot({ path: path.join(ARTIFACTS, '4-partner-acpn-active.png') });

    // A question is answered from the guide with its source.
    await say(partner, 'What is ACPN?');
    expect(await transcript(partner, '[faq-q5]')).toContain('Source:');
    await partner.screenshot({ path: path.join(ARTIFACTS, '5-partner-faq.png') });
    await bd.screenshot({ path: path.join(ARTIFACTS, '6-bd-final.png') });

    // Support looks the application up by part of its name and sees its history.
    const support = await open('support');
    await say(support, 'Browser Journey');
    const found = await transcript(support, 'activate-acpn by');
    expect(found).toContain('Browser Journey Co');
    await support.screenshot({ path: path.join(ARTIFACTS, '7-support-lookup.png') });

    const [app] = (await workflowHttp(t.url)('GET', '/applications', 'dev-partner')).body;
    expect(app.status).toBe('acpn_active');
  }, 120_000);
});
