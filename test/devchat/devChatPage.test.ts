import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type restify from 'restify';
import { findWebChatBundle, mountDevChatPage } from '../../src/devchat/devChatPage';
import { devPersonas } from '../../src/devchat/personas';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { Catalogue } from '../../src/i18n/catalogue';
import { DateFormatter } from '../../src/dates';

// botframework-webchat is a dev dependency: the dev chat finds it lazily and, where it is
// missing (a pruned production tree), says so on the page instead of failing to start.

const personas = devPersonas({ bd: [], support: [], admin: [] });

async function serve(webChatBundle?: string | null) {
  const lines: string[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const server: restify.Server = createHttpServer(log);
  mountDevChatPage(server, { personas, catalogue: new Catalogue(new DateFormatter()), log, webChatBundle });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, lines, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the installed Web Chat bundle is found in node_modules', () => {
  const bundle = findWebChatBundle();
  expect(bundle).toMatch(/botframework-webchat[\\/]dist[\\/]webchat\.js$/);
  expect(fs.statSync(bundle!).size).toBeGreaterThan(1_000_000);
});

test('an uninstalled botframework-webchat is reported as absent, not thrown', () => {
  const missing = () => {
    throw Object.assign(new Error("Cannot find module 'botframework-webchat'"), { code: 'MODULE_NOT_FOUND' });
  };
  expect(findWebChatBundle(missing)).toBeUndefined();
});

test('with Web Chat installed the page loads it and the bundle is served', async () => {
  const s = await serve();
  try {
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/devchat/webchat.js"></script>');
    const js = await fetch(`${s.url}/devchat/webchat.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await js.arrayBuffer()).byteLength).toBe(fs.statSync(findWebChatBundle()!).size);
    expect(s.lines.join('')).not.toContain('dev chat page unavailable');
  } finally {
    await s.close();
  }
});

test('without Web Chat the page says what is missing and how to fix it, in English and Chinese', async () => {
  const s = await serve(null);
  try {
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('Web Chat is not installed');
    expect(html).toContain('<code>npm install</code>');
    expect(html).toContain('未安装 Web Chat');
    expect(html).not.toContain('webchat.js');
    const js = await fetch(`${s.url}/devchat/webchat.js`);
    expect(js.status).toBe(503);
    expect(((await js.json()) as { error: { code: string } }).error.code).toBe('webchat_not_installed');
    const warning = s.lines.map((l) => JSON.parse(l)).find((l) => l.level === 40);
    expect(warning.msg).toMatch(/botframework-webchat .*not installed.*npm install/);
  } finally {
    await s.close();
  }
});

test("the page's language: ?lang= (the switch), else the browser's Accept-Language; Web Chat gets that locale", async () => {
  const s = await serve();
  try {
    const zh = await fetch(`${s.url}/?as=partner&lang=zh-CN`).then((r) => r.text());
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('阿里云合作伙伴入驻：本地聊天');
    expect(zh).toContain('<option value="zh-CN" selected>中文</option>');
    expect(zh).toContain('"locale":"zh-CN"');
    const browser = await fetch(`${s.url}/`, { headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
    expect(await browser.text()).toContain('"locale":"zh-CN"');
    const en = await fetch(`${s.url}/`, { headers: { 'accept-language': 'de-DE' } }).then((r) => r.text());
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('"locale":"en-US"');
    expect(en).toContain('Talk as');
  } finally {
    await s.close();
  }
});
