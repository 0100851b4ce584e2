import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import type { Logger } from '../logger';
import { route } from '../http/server';
import { ApiError } from '../http/apiError';
import type { Persona } from './personas';
import { escapeFor } from '../escape';
import type { Catalogue, Wording } from '../i18n/catalogue';
import { LANGUAGES, languageOf, type Language } from '../i18n/language';
import type { KeptMail, KeptMessage } from '../mail/keptMail';

/**
 * Web Chat's browser bundle, served from node_modules, never vendored (DESIGN.md).
 * botframework-webchat is a dev dependency, so it is looked up only where the dev chat is
 * mounted and may be absent (a pruned production tree): then undefined. The package's
 * exports map hides dist/, so find it beside the package's entry point (lib/index.js).
 */
export function findWebChatBundle(resolve: (id: string) => string = require.resolve): string | undefined {
  try {
    const file = path.join(path.dirname(resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export interface DevChatPageDeps {
  personas: Persona[];
  /** The page's own words, in the language chosen with ?lang= (else the browser's). */
  catalogue: Catalogue;
  log: Logger;
  /** Path of webchat.js; default: found in node_modules. null: Web Chat is not installed. */
  webChatBundle?: string | null;
  /** The e-mails this instance kept instead of sending (no SMTP_URL), listed on the page. */
  kept?: KeptMail;
}

/** The page at `/`: Web Chat over the local Direct Line, as the persona chosen with ?as=, in the language chosen with ?lang=. */
export function mountDevChatPage(server: restify.Server, deps: DevChatPageDeps): void {
  const bundle = deps.webChatBundle === undefined ? findWebChatBundle() : (deps.webChatBundle ?? undefined);
  if (!bundle) {
    deps.log.warn(
      { package: 'botframework-webchat' },
      'dev chat page unavailable: botframework-webchat (a dev dependency) is not installed; run npm install',
    );
  }
  server.get(
    '/',
    route(deps.log, async (req, res) => {
      // ?lang= when the switch was used; else the browser's first language, as Teams sends the client's.
      const asked = (req.query as { lang?: string } | undefined)?.lang;
      const language = languageOf(asked ?? req.header('accept-language')?.split(',')[0]);
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.statusCode = bundle ? 200 : 503;
      res.end(
        bundle
          ? page(deps.personas, deps.catalogue.in(language, 'html'), deps.kept?.list())
          : missingPage(deps.catalogue),
      );
    }),
  );
  server.get(
    '/devchat/webchat.js',
    route(deps.log, async (_req, res) => {
      if (!bundle) {
        throw new ApiError(
          503,
          'webchat_not_installed',
          'botframework-webchat is not installed: run npm install',
        );
      }
      res.setHeader('content-type', 'application/javascript; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=3600');
      await new Promise<void>((resolve, reject) =>
        fs.createReadStream(bundle).on('error', reject).on('end', resolve).pipe(res),
      );
    }),
  );
  server.get(
    '/favicon.ico',
    route(deps.log, async (_req, res) => {
      res.statusCode = 204;
      res.end();
    }),
  );
  // What this instance would have e-mailed (no SMTP_URL), newest first; ?to= one address.
  server.get(
    '/devchat/emails',
    route(deps.log, async (req, res) => {
      const to = (req.query as { to?: unknown } | undefined)?.to;
      res.setHeader('cache-control', 'no-store');
      res.send(200, deps.kept?.list(typeof to === 'string' ? to : undefined) ?? []);
    }),
  );
  server.get(
    '/devchat/personas',
    route(deps.log, async (_req, res) => {
      res.send(200, deps.personas);
    }),
  );
}

/** Web Chat's locale for each language: its own strings follow, and every activity carries it. */
const WEBCHAT_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

function page(personas: Persona[], w: Wording, kept: KeptMessage[] | undefined): string {
  const keepsMail = Boolean(kept);
  const html = (v: string) => escapeFor('html', v);
  const labels = Object.fromEntries(personas.map((p) => [p.key, w.plain(`devchat.personas.${p.key}`)]));
  const options = personas
    .map((p) => `<option value="${p.key}">${html(labels[p.key])}: ${html(p.name)}</option>`)
    .join('');
  const languages = LANGUAGES.map(
    (l) =>
      `<option value="${l}"${l === w.language ? ' selected' : ''}>${html(w.plain(l === 'en' ? 'language.english' : 'language.chinese'))}</option>`,
  ).join('');
  // Data for the script: JSON with "<" escaped, so nothing in it can close the script element.
  const data = JSON.stringify({
    personas: personas.map((p) => ({ ...p, label: labels[p.key] })),
    locale: WEBCHAT_LOCALE[w.language],
    pageTitle: w.plain('devchat.pageTitle', { persona: '{persona}' }),
    mail: keepsMail
      ? {
          open: w.plain('devchat.emails.open', { count: '{count}' }),
          none: w.plain('devchat.emails.none'),
          to: w.plain('devchat.emails.to'),
        }
      : null,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${w.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(w.plain('devchat.title'))}</title>
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
  body { display: flex; flex-direction: column; }
  header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; background: #ff6a00; color: #fff; }
  header h1 { font-size: 1rem; margin: 0; flex: 1 1 auto; }
  header label { white-space: nowrap; }
  header select, header button { font: inherit; max-width: 100%; }
  #webchat { flex: 1; min-height: 0; min-width: 0; }
  header a { color: #fff; white-space: nowrap; }
  main { flex: 1; min-height: 0; display: flex; }
  #mail { width: 30rem; max-width: 45%; overflow: auto; border-left: 1px solid #ddd; padding: .75rem 1rem; background: #fafafa; }
  #mail[hidden] { display: none; }
  #mail h2 { font-size: 1rem; margin: 0 0 .25rem; }
  #mail .hint { font-size: .8rem; color: #666; margin: 0 0 .75rem; }
  #mail details { background: #fff; border: 1px solid #e3e3e3; border-radius: 4px; margin-bottom: .5rem; }
  #mail summary { cursor: pointer; padding: .5rem .6rem; font-size: .9rem; }
  #mail summary small { display: block; color: #666; }
  #mail iframe { width: 100%; height: 26rem; border: 0; border-top: 1px solid #eee; }
  /* A phone (390 px): the title on its own line, the controls below it, nothing wider than the screen. */
  @media (max-width: 640px) {
    header { padding: .4rem .6rem; gap: .35rem .6rem; font-size: .875rem; }
    header h1 { flex-basis: 100%; font-size: .95rem; }
    header label { display: flex; gap: .25rem; align-items: center; min-width: 0; }
    header select { max-width: 10.5rem; }
    main { flex-direction: column; }
    #mail { max-width: none; width: auto; max-height: 50%; border-left: 0; border-top: 1px solid #ddd; }
  }
</style>
</head>
<body>
<header>
  <h1>${html(w.plain('devchat.title'))}</h1>
  <label>${html(w.plain('devchat.talkAs'))} <select id="persona">${options}</select></label>
  <label>${html(w.plain('devchat.language'))} <select id="language">${languages}</select></label>
  <button id="restart" type="button" title="${html(w.plain('devchat.newConversationHint'))}">${html(w.plain('devchat.newConversation'))}</button>
  <a href="/chat?lang=${w.language}">${html(w.plain('devchat.emails.signIn'))}</a>
  ${keepsMail ? `<button id="mail-toggle" type="button" aria-controls="mail" aria-expanded="false">${html(w.plain('devchat.emails.open', { count: String(kept?.length ?? 0) }))}</button>` : ''}
</header>
<main role="main">
<div id="webchat"></div>
${keepsMail ? `<aside id="mail" hidden aria-label="${html(w.plain('devchat.emails.title'))}"><h2>${html(w.plain('devchat.emails.title'))}</h2><p class="hint">${html(w.plain('devchat.emails.hint'))}</p><div id="mail-list">${mailSummaries(kept ?? [], w)}</div></aside>` : ''}
</main>
<script src="/devchat/webchat.js"></script>
<script>
(async function () {
  const page = ${data};
  const personas = page.personas;
  const params = new URLSearchParams(location.search);
  const key = params.get('as') || 'partner';
  const persona = personas.find((p) => p.key === key) || personas[0];
  const select = document.getElementById('persona');
  select.value = persona.key;
  select.addEventListener('change', () => { params.set('as', select.value); location.search = params.toString(); });
  // The language switch keeps the conversation: from the next message on, activities carry the new locale.
  const language = document.getElementById('language');
  language.addEventListener('change', () => { params.set('lang', language.value); location.search = params.toString(); });
  const stored = 'devchat:' + persona.key;
  document.getElementById('restart').addEventListener('click', () => { sessionStorage.removeItem(stored); location.reload(); });
  document.title = page.pageTitle.replace('{persona}', persona.label);

  // One conversation per tab and persona, kept across reloads so nothing typed is lost.
  let session = JSON.parse(sessionStorage.getItem(stored) || 'null');
  if (session) {
    // The server keeps conversations in memory: after a restart start a new one.
    const alive = await fetch('/v3/directline/conversations/' + session.conversationId, {
      headers: { authorization: 'Bearer ' + session.token },
    });
    if (!alive.ok) session = null;
  }
  if (!session) {
    const res = await fetch('/v3/directline/tokens/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: persona.userId, name: persona.name }, locale: page.locale }),
    });
    session = await res.json();
    sessionStorage.setItem(stored, JSON.stringify(session));
  }
  const directLine = window.WebChat.createDirectLine({
    token: session.token,
    conversationId: session.conversationId,
    domain: location.origin + '/v3/directline',
    webSocket: true,
  });
  window.WebChat.renderWebChat(
    { directLine, userID: persona.userId, username: persona.name, locale: page.locale,
      styleOptions: { botAvatarInitials: 'AC', userAvatarInitials: persona.name.split(' ').map((p) => p[0]).join('').slice(0, 2) } },
    document.getElementById('webchat'),
  );
  document.querySelector('#webchat').focus();
})();
// The e-mails this instance kept (no SMTP_URL): built with text nodes; each HTML body in a sandboxed frame (no scripts).
(function () {
  const page = ${data};
  if (!page.mail) return;
  const toggle = document.getElementById('mail-toggle');
  const panel = document.getElementById('mail');
  const list = document.getElementById('mail-list');
  const open = new Set();
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
  });
  let shown = '';
  async function refresh() {
    const mails = await fetch('/devchat/emails').then((r) => r.json()).catch(() => []);
    toggle.textContent = page.mail.open.replace('{count}', String(mails.length));
    const ids = mails.map((m) => m.id).join();
    if (ids === shown) return;
    shown = ids;
    list.replaceChildren();
    if (!mails.length) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = page.mail.none;
      list.append(p);
    }
    for (const m of mails) {
      const item = document.createElement('details');
      item.dataset.kind = m.kind;
      if (open.has(m.id)) item.open = true;
      item.addEventListener('toggle', () => (item.open ? open.add(m.id) : open.delete(m.id)));
      const summary = document.createElement('summary');
      summary.textContent = m.subject;
      const meta = document.createElement('small');
      meta.textContent = page.mail.to.replace('{to}', m.to) + ' · ' + new Date(m.at).toLocaleString(page.locale);
      summary.append(meta);
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', '');
      frame.title = m.subject;
      frame.srcdoc = m.html;
      item.append(summary, frame);
      list.append(item);
    }
  }
  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body>
</html>`;
}

/** The kept e-mails as the page first shows them (the script keeps the list current): subject, reader, time. */
function mailSummaries(kept: KeptMessage[], w: Wording): string {
  const html = (v: string) => escapeFor('html', v);
  if (!kept.length) return `<p class="hint">${html(w.plain('devchat.emails.none'))}</p>`;
  return kept
    .map(
      (m) =>
        `<details data-kind="${html(m.kind)}"><summary>${html(m.subject)}<small>${html(w.plain('devchat.emails.to').replace('{to}', m.to))} · ${html(m.at)}</small></summary></details>`,
    )
    .join('');
}

/** Says why there is no chat and how to get it, in both languages the product speaks. */
function missingPage(catalogue: Catalogue): string {
  const html = (v: string) => escapeFor('html', v);
  const section = (language: Language) => {
    const w = catalogue.in(language, 'html');
    return `<section lang="${language}"><h1>${html(w.plain('devchat.missing.title'))}</h1><p>${html(w.plain('devchat.missing.body'))}</p><p>${html(w.plain('devchat.missing.fix')).replace('npm install', '<code>npm install</code>')}</p></section>`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(catalogue.in('en').plain('devchat.missing.title'))}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  h1 { font-size: 1.25rem; color: #ff6a00; }
  code { background: #f3f3f3; padding: 0 .25rem; }
  section + section { border-top: 1px solid #ddd; margin-top: 2rem; }
</style>
</head>
<body>
${LANGUAGES.map(section).join('\n')}
</body>
</html>`;
}
