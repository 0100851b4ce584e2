import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox','--disable-gpu','--disable-quic','--disable-background-networking','--disable-component-update','--disable-sync'] });
  const page = await ctx.newPage();
  page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 200)));
  await page.goto('http://127.0.0.1:3981/?as=partner');
  await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 15000 });
  await page.waitForTimeout(1500);
  await page.fill('[data-id="webchat-sendbox-input"]', 'hi');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/pw/partner.png' });
  const html = await page.content();
  fs.writeFileSync('/tmp/pw/page.html', html);
  console.log(await page.locator('.webchat__basic-transcript__activity').count());
  await ctx.close();
})();
