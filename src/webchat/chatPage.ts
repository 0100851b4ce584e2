import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type restify from 'restify';
import { findWebChatBundle } from '../devchat/devChatPage';
import { escapeFor } from '../escape';
import { ApiError } from '../http/apiError';
import { route } from '../http/server';
import type { Catalogue, Wording } from '../i18n/catalogue';
import { LANGUAGES, languageOf, type Language } from '../i18n/language';
import type { Logger } from '../logger';

export interface ChatPageDeps {
  catalogue: Catalogue;
  /** The Direct Line endpoint the page's Web Chat talks to: Azure's, or the dev channel's own. */
  directLineUrl: () => string;
  /** WEBCHAT_SCRIPT_URL: Web Chat's bundle where botframework-webchat is not installed. */
  scriptUrl: string;
  /** How long a code works, for the page to say. */
  codeMinutes: number;
  log: Logger;
  /** Path of webchat.js; default: found in node_modules; null: load it from scriptUrl. */
  webChatBundle?: string | null;
}

/** Web Chat's locale for each language. */
const WEBCHAT_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

/**
 * GET /chat: Web Chat for partners outside the Teams tenant, with a verified identity. The
 * partner types their contact e-mail, gets a one-time code by e-mail, types it, and Web Chat
 * opens with the Direct Line token the server issued for their user id (POST /api/webchat/…).
 * The session is kept in the tab (sessionStorage) so a reload keeps the conversation; signing
 * out forgets it. Served with a strict Content-Security-Policy: scripts only from here (with
 * this response's nonce) and Web Chat's bundle, connections only here and to Direct Line.
 */
export function mountChatPage(server: restify.Server, deps: ChatPageDeps): void {
  const bundle = deps.webChatBundle === undefined ? findWebChatBundle() : (deps.webChatBundle ?? undefined);
  const scriptSrc = bundle ? '/chat/webchat.js' : deps.scriptUrl;
  server.get(
    '/chat',
    route(deps.log, async (req, res) => {
      const asked = (req.query as { lang?: unknown } | undefined)?.lang;
      const language = languageOf(
        typeof asked === 'string' ? asked : req.header('accept-language')?.split(',')[0],
      );
      const nonce = randomBytes(16).toString('base64');
      const directLine = deps.directLineUrl();
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-security-policy', policy(nonce, scriptSrc, directLine));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.statusCode = 200;
      res.end(
        page(deps.catalogue.in(language, 'html'), {
          nonce,
          scriptSrc,
          directLine,
          codeMinutes: deps.codeMinutes,
        }),
      );
    }),
  );
  server.get(
    '/chat/webchat.js',
    route(deps.log, async (_req, res) => {
      if (!bundle) throw ApiError.notFound('Web Chat is loaded from WEBCHAT_SCRIPT_URL here');
      res.setHeader('content-type', 'application/javascript; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=3600');
      await new Promise<void>((resolve, reject) =>
        fs.createReadStream(bundle).on('error', reject).on('end', resolve).pipe(res),
      );
    }),
  );
}

/** Scripts from here (the nonce) and Web Chat's bundle; connections to here and Direct Line (HTTPS and its WebSocket). */
function policy(nonce: string, scriptSrc: string, directLine: string): string {
  const origin = (url: string) => (url.startsWith('/') ? "'self'" : new URL(url).origin);
  const dl = new URL(directLine, 'http://localhost');
  const socket = `${dl.protocol === 'https:' ? 'wss:' : 'ws:'}//${dl.host}`;
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${origin(scriptSrc)}`,
    // Web Chat styles itself at run time (emotion): inline styles it cannot do without.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${dl.origin} ${socket}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function page(
  w: Wording,
  opts: { nonce: string; scriptSrc: string; directLine: string; codeMinutes: number },
): string {
  const html = (v: string) => escapeFor('html', v);
  const t = (key: Parameters<Wording['plain']>[0]) => html(w.plain(key));
  const languages = LANGUAGES.map(
    (l) =>
      `<option value="${l}"${l === w.language ? ' selected' : ''}>${html(w.plain(l === 'en' ? 'language.english' : 'language.chinese'))}</option>`,
  ).join('');
  // Data for the script: JSON with "<" escaped, so nothing in it can close the script element.
  const data = JSON.stringify({
    locale: WEBCHAT_LOCALE[w.language],
    language: w.language,
    directLine: opts.directLine,
    minutes: opts.codeMinutes,
    words: {
      sent: w.plain('webchat.sent'),
      signedInAs: w.plain('webchat.signedInAs'),
      invalidEmail: w.plain('webchat.errors.invalidEmail'),
      invalidCode: w.plain('webchat.errors.invalidCode'),
      tooMany: w.plain('webchat.errors.tooMany'),
      unavailable: w.plain('webchat.errors.unavailable'),
    },
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${w.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('webchat.title')}</title>
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; }
  body { display: flex; flex-direction: column; background: #f4f4f4; }
  header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #ff6a00; color: #fff; }
  header h1 { font-size: 1rem; margin: 0; flex: 1; }
  header select, header button { font: inherit; }
  #who { font-size: .9rem; }
  .signin { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 1.5rem 1.75rem; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .signin p { line-height: 1.5; margin: 0 0 1rem; }
  .signin label { display: block; font-weight: 600; margin-bottom: .35rem; }
  .signin input { box-sizing: border-box; width: 100%; font: inherit; padding: .55rem .65rem; border: 1px solid #bbb; border-radius: 4px; margin-bottom: 1rem; }
  .signin input#code { letter-spacing: .3em; font-size: 1.25rem; }
  .signin button { font: inherit; padding: .55rem 1.1rem; border-radius: 4px; border: 1px solid #ff6a00; background: #ff6a00; color: #fff; cursor: pointer; }
  .signin button.link { background: none; border: none; color: #c25000; padding: .55rem .25rem; }
  .signin [role=alert] { color: #b00020; min-height: 1.5em; margin: .25rem 0 0; }
  .signin .note { color: #555; font-size: .9rem; }
  #webchat { flex: 1; min-height: 0; background: #fff; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>${t('webchat.title')}</h1>
  <span id="who" hidden></span>
  <button id="signout" type="button" hidden>${t('webchat.signOut')}</button>
  <label>${t('webchat.language')} <select id="language">${languages}</select></label>
</header>
<main id="signin" class="signin">
  <form id="email-form" novalidate>
    <p>${t('webchat.intro')}</p>
    <label for="email">${t('webchat.emailLabel')}</label>
    <input id="email" name="email" type="email" autocomplete="email" inputmode="email" required maxlength="254">
    <button type="submit">${t('webchat.send')}</button>
    <p role="alert" id="email-error"></p>
  </form>
  <form id="code-form" novalidate hidden>
    <p class="note" id="sent"></p>
    <label for="code">${t('webchat.codeLabel')}</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
    <button type="submit">${t('webchat.signIn')}</button>
    <button type="button" class="link" id="resend">${t('webchat.resend')}</button>
    <button type="button" class="link" id="other">${t('webchat.otherAddress')}</button>
    <p role="alert" id="code-error"></p>
  </form>
</main>
<div id="webchat" role="main" hidden></div>
<script nonce="${opts.nonce}" src="${html(opts.scriptSrc)}"></script>
<script nonce="${opts.nonce}">
(function () {
  const page = ${data};
  const $ = (id) => document.getElementById(id);
  const KEY = 'webchat:session';
  const params = new URLSearchParams(location.search);
  $('language').addEventListener('change', () => { params.set('lang', $('language').value); location.search = params.toString(); });
  let address = '';

  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    return { status: res.status, data };
  }
  function failure(status, code) {
    if (status === 429) return page.words.tooMany;
    if (code === 'invalid_code') return page.words.invalidCode;
    if (status === 400) return page.words.invalidEmail;
    return page.words.unavailable;
  }
  async function sendCode() {
    $('email-error').textContent = '';
    $('code-error').textContent = '';
    const r = await post('/api/webchat/code', { email: address, language: page.language });
    if (r.status !== 202) return failure(r.status, r.data.error && r.data.error.code);
    $('sent').textContent = page.words.sent.replace('{address}', address).replace('{minutes}', String(page.minutes));
    $('email-form').hidden = true;
    $('code-form').hidden = false;
    $('code').value = '';
    $('code').focus();
    return '';
  }
  $('email-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    address = $('email').value.trim();
    if (!/^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(address)) { $('email-error').textContent = page.words.invalidEmail; return; }
    $('email-error').textContent = await sendCode();
  });
  $('resend').addEventListener('click', async () => { $('code-error').textContent = await sendCode(); });
  $('other').addEventListener('click', () => { $('code-form').hidden = true; $('email-form').hidden = false; $('email').focus(); });
  $('code-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('code-error').textContent = '';
    const r = await post('/api/webchat/token', { email: address, code: $('code').value.trim(), language: page.language });
    if (r.status !== 200) { $('code-error').textContent = failure(r.status, r.data.error && r.data.error.code); return; }
    const session = { ...r.data, address, at: Date.now() };
    sessionStorage.setItem(KEY, JSON.stringify(session));
    open(session);
  });
  $('signout').addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });

  function open(session) {
    $('signin').hidden = true;
    $('webchat').hidden = false;
    $('who').textContent = page.words.signedInAs.replace('{address}', session.address);
    $('who').hidden = false;
    $('signout').hidden = false;
    const directLine = window.WebChat.createDirectLine({
      token: session.token,
      conversationId: session.conversationId,
      domain: session.directLine,
      webSocket: true,
    });
    // The user id is the one the server bound the token to; the channel refuses any other.
    window.WebChat.renderWebChat(
      { directLine, userID: session.userId, locale: page.locale, styleOptions: { botAvatarInitials: 'AC', hideUploadButton: true } },
      $('webchat'),
    );
  }

  // A session whose token has run out (Web Chat renews it only while the page is open) signs in again.
  const stored = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  const fresh = stored && stored.token && Date.now() - stored.at < (stored.expiresIn || 1800) * 900;
  if (fresh) open(stored);
  else { sessionStorage.removeItem(KEY); $('email').focus(); }
})();
</script>
</body>
</html>`;
}
