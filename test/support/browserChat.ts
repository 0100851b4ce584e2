import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// Driving the dev chat page in Debian's Chromium as a person would: type, press buttons, fill
// card inputs, and read what the page shows. Screenshots go to ARTIFACTS.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

export async function launch(viewport = { width: 1100, height: 900 }): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'devchat-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
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
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One person's tab. */
export class ChatTab {
  constructor(
    readonly page: Page,
    readonly persona: string,
    private readonly artifacts: string,
  ) {}

  static async open(
    context: BrowserContext,
    base: string,
    persona: string,
    artifacts: string,
    opts: { lang?: string; viewport?: { width: number; height: number } } = {},
  ): Promise<ChatTab> {
    const page = await context.newPage();
    if (opts.viewport) await page.setViewportSize(opts.viewport);
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[${persona} console] ${m.text().slice(0, 300)}`);
    });
    await page.goto(`${base}/?as=${persona}${opts.lang ? `&lang=${opts.lang}` : ''}`);
    await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 20_000 });
    const tab = new ChatTab(page, persona, artifacts);
    await tab.sees('Welcome');
    return tab;
  }

  async say(text: string): Promise<void> {
    await this.page.fill('[data-id="webchat-sendbox-input"]', text);
    await this.page.keyboard.press('Enter');
  }

  /** The transcript's text as the person reads it. */
  async text(): Promise<string> {
    return (await this.page.locator('.webchat__basic-transcript').textContent()) ?? '';
  }

  /** How often `text` appears in the transcript now. */
  async count(text: string): Promise<number> {
    return (await this.text()).split(text).length - 1;
  }

  /** Waits until the transcript shows `text` (at least `times` times) and returns the transcript. */
  async sees(text: string, times = 1, timeout = 20_000): Promise<string> {
    try {
      await this.page.waitForFunction(
        ([t, n]) =>
          ((globalThis as any).document.querySelector('.webchat__basic-transcript')?.textContent ?? '').split(
            t,
          ).length -
            1 >=
          n,
        [text, times] as const,
        { timeout },
      );
    } catch (err) {
      await this.shot(`failed-${this.persona}-${text.replace(/\W+/g, '-').slice(0, 60)}`);
      throw err;
    }
    return this.text();
  }

  /** Does `act`, then waits for one more `text` than there was before it. */
  async after(act: () => Promise<void>, text: string, timeout?: number): Promise<string> {
    const before = await this.count(text);
    await act();
    return this.sees(text, before + 1, timeout);
  }

  /** Clicks the newest button with this title (cards further up may carry older ones). */
  async press(title: string): Promise<void> {
    await this.page.getByRole('button', { name: title, exact: true }).last().click();
  }

  /** How many buttons with this title the page shows. */
  async buttons(title: string): Promise<number> {
    return this.page.getByRole('button', { name: title, exact: true }).count();
  }

  async fill(label: string, value: string): Promise<void> {
    // Not exact: a required input's label ends with the renderer's " *".
    await this.page.getByLabel(label).last().fill(value);
  }

  /** The newest card's text. */
  async lastCard(): Promise<string> {
    return (await this.page.locator('.ac-adaptiveCard').last().textContent()) ?? '';
  }

  async shot(name: string, fullPage = false): Promise<string> {
    // Web Chat scrolls to the newest activity once it has laid the cards out.
    await this.page.waitForTimeout(400);
    const file = path.join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage });
    return file;
  }

  /** Everything the bot sent this tab's conversation, read back over Direct Line: texts and every string on its cards. */
  async botSaid(base: string): Promise<string[]> {
    const session = JSON.parse(
      await this.page.evaluate(() =>
        (globalThis as any).sessionStorage.getItem(
          'devchat:' + new URLSearchParams((globalThis as any).location.search).get('as'),
        ),
      ),
    );
    const res = await fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    const { activities } = (await res.json()) as { activities: any[] };
    const out: string[] = [];
    const walk = (n: any) => {
      if (typeof n === 'string') return;
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      for (const [k, v] of Object.entries(n)) {
        if (
          typeof v === 'string' &&
          ['text', 'title', 'value', 'label', 'placeholder', 'errorMessage'].includes(k)
        )
          out.push(v);
        else walk(v);
      }
    };
    for (const a of activities.filter((x) => x.from?.role === 'bot')) {
      if (a.text) out.push(a.text);
      for (const att of a.attachments ?? []) walk(att.content);
    }
    return out;
  }
}
