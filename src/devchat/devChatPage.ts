import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import type { Logger } from '../logger';
import { route } from '../http/server';
import { ApiError } from '../http/apiError';
import type { Persona } from './personas';
import missingTexts from './webChatMissing.json';

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
  log: Logger;
  /** Path of webchat.js; default: found in node_modules. null: Web Chat is not installed. */
  webChatBundle?: string | null;
}

/** The page at `/`: Web Chat over the local Direct Line, as the persona chosen with ?as=. */
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
    route(deps.log, async (_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.statusCode = bundle ? 200 : 503;
      res.end(bundle ? page(deps.personas) : missingPage());
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
  server.get(
    '/devchat/personas',
    route(deps.log, async (_req, res) => {
      res.send(200, deps.personas);
    }),
  );
}

function page(personas: Persona[]): string {
  const options = personas
    .map((p) => `<option value="${p.key}">${p.label} (${escape(p.userId)})</option>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner onboarding assistant (local)</title>
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #ff6a00; color: #fff; }
  header h1 { font-size: 1rem; margin: 0; flex: 1; }
  header select, header button { font: inherit; }
  #webchat { flex: 1; min-height: 0; }
</style>
</head>
<body>
<header>
  <h1>Alibaba Cloud partner onboarding: local chat</h1>
  <label>Talk as <select id="persona">${options}</select></label>
  <button id="restart" type="button" title="Start a new conversation">New conversation</button>
</header>
<main id="webchat" role="main"></main>
<script src="/devchat/webchat.js"></script>
<script>
(async function () {
  const personas = ${JSON.stringify(personas)};
  const params = new URLSearchParams(location.search);
  const key = params.get('as') || 'partner';
  const persona = personas.find((p) => p.key === key) || personas[0];
  const select = document.getElementById('persona');
  select.value = persona.key;
  select.addEventListener('change', () => { params.set('as', select.value); location.search = params.toString(); });
  const stored = 'devchat:' + persona.key;
  document.getElementById('restart').addEventListener('click', () => { sessionStorage.removeItem(stored); location.reload(); });
  document.title = persona.label + ': partner onboarding (local)';

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
      body: JSON.stringify({ user: { id: persona.userId, name: persona.label } }),
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
    { directLine, userID: persona.userId, username: persona.label, locale: 'en-US',
      styleOptions: { botAvatarInitials: 'AC', userAvatarInitials: persona.label.slice(0, 2) } },
    document.getElementById('webchat'),
  );
  document.querySelector('#webchat').focus();
})();
</script>
</body>
</html>`;
}

/** Says why there is no chat and how to get it, in both languages the product speaks. */
function missingPage(): string {
  const section = (lang: 'en' | 'zh') => {
    const t = missingTexts[lang];
    return `<section lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><h1>${escape(t.title)}</h1><p>${escape(t.body)}</p><p>${escape(t.fix).replace('npm install', '<code>npm install</code>')}</p></section>`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(missingTexts.en.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  h1 { font-size: 1.25rem; color: #ff6a00; }
  code { background: #f3f3f3; padding: 0 .25rem; }
  section + section { border-top: 1px solid #ddd; margin-top: 2rem; }
</style>
</head>
<body>
${section('en')}
${section('zh')}
</body>
</html>`;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
