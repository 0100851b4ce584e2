import type restify from 'restify';
import { z } from 'zod';
import { KvUnavailable, type Counter } from '../kv';
import { ApiError } from '../http/apiError';
import { readJsonBody } from '../http/jsonBody';
import { route } from '../http/server';
import { expected, parseWith } from '../http/validate';
import { isLanguage, languageOf, type Language } from '../i18n/language';
import type { Logger } from '../logger';
import type { EmailComposer } from '../mail/emailComposer';
import type { Mailer } from '../mail/mailer';
import { DirectLineUnavailable, type DirectLineTokens } from './directLineTokens';
import type { SigninCodes } from './signinCodes';
import { normalise, type WebChatIdentities } from './webChatIdentities';

/** Requests one client address may make to the sign-in routes per window (codes and guesses together). */
const PER_CLIENT = 60;
/** Web Chat's locale for each language, as the page sets it. */
const WEBCHAT_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };
const CLIENT_WINDOW_MS = 15 * 60_000;

const address = z
  .string(expected('must be an e-mail address'))
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address such as li@example.com'));
const codeRequest = z
  .object({ email: address, language: z.string().max(16).optional() }, expected('must be a JSON object'))
  .loose();
const tokenRequest = z
  .object(
    {
      email: address,
      code: z
        .string(expected('must be the six digits from the e-mail'))
        .trim()
        .regex(/^\d{6}$/, 'must be the six digits from the e-mail'),
      language: z.string().max(16).optional(),
    },
    expected('must be a JSON object'),
  )
  .loose();

export interface SigninDeps {
  codes: SigninCodes;
  identities: WebChatIdentities;
  tokens: DirectLineTokens;
  mailer: Mailer;
  composer: EmailComposer;
  /** Per-client request counters (Keyv: Redis when instances share them). */
  counters: Counter;
  /** The Direct Line endpoint the page's Web Chat talks to with the token. */
  directLineUrl: () => string;
  log: Logger;
  maxBodyBytes: number;
}

/**
 * Web Chat sign-in: the partner proves their contact e-mail and gets a Direct Line token bound
 * to their user id, so nobody can be somebody else by typing their id into a Web Chat client.
 * POST /api/webchat/code sends a one-time code to the address; POST /api/webchat/token trades
 * the code for the token. Both are rate-limited per address (SQL) and per client (Keyv), and
 * say nothing about whether an address is known: every address may sign in (a new partner
 * registers after signing in). Logs carry no address.
 */
export function mountSignin(server: restify.Server, deps: SigninDeps): void {
  const limited = async (req: restify.Request, res: restify.Response) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    let count: number;
    try {
      count = await deps.counters.increment(
        `${client}:${Math.floor(Date.now() / CLIENT_WINDOW_MS)}`,
        CLIENT_WINDOW_MS * 2,
      );
    } catch (err) {
      // The store is down: the per-address limits in SQL still hold.
      if (err instanceof KvUnavailable) return;
      throw err;
    }
    if (count > PER_CLIENT) {
      throw tooMany(res, 'too many sign-in requests from here; try again in a few minutes', CLIENT_WINDOW_MS);
    }
  };

  server.post(
    '/api/webchat/code',
    route(deps.log, async (req, res) => {
      const body = parseWith(codeRequest, await readJsonBody(req, deps.maxBodyBytes), 'invalid_input');
      await limited(req, res);
      const email = normalise(body.email);
      const issued = await deps.codes.issue(email);
      if (!issued.ok)
        throw tooMany(
          res,
          'a code was sent to this address several times lately; use the newest one or wait',
          issued.retryAfterMs,
        );
      const language: Language = isLanguage(body.language)
        ? body.language
        : languageOf(req.header('accept-language')?.split(',')[0]);
      const minutes = deps.codes.ttlMinutes;
      const composed = deps.composer.compose(language, {
        key: 'email.signin',
        footer: 'signin',
        address: email,
        chatLink: false,
        values: () => ({ code: issued.code, minutes }),
      });
      const outcome = await deps.mailer.send({ ...composed, to: email, language, kind: 'email.signin' });
      if (outcome.status === 'failed') {
        throw ApiError.badRequest(
          'email: this address cannot receive e-mail; check it',
          undefined,
          'undeliverable_address',
        );
      }
      if (outcome.status === 'retry') {
        res.setHeader('retry-after', '30');
        throw new ApiError(
          503,
          'mail_unavailable',
          'the code could not be sent just now; try again in a minute',
        );
      }
      deps.log.info({ kind: 'email.signin', outcome: outcome.status }, 'sign-in code sent');
      res.send(202, { sent: true, expiresInMinutes: minutes });
    }),
  );

  server.post(
    '/api/webchat/token',
    route(deps.log, async (req, res) => {
      const body = parseWith(tokenRequest, await readJsonBody(req, deps.maxBodyBytes), 'invalid_input');
      await limited(req, res);
      const email = normalise(body.email);
      const checked = await deps.codes.check(email, body.code);
      if (!checked.ok) {
        if (checked.reason === 'locked') throw tooMany(res, 'too many wrong codes; send a new one', 60_000);
        throw new ApiError(
          401,
          'invalid_code',
          'that code is wrong or has expired; check the newest e-mail or send a new code',
        );
      }
      const userId = await deps.identities.userIdFor(email);
      try {
        const token = await deps.tokens.generate(
          { id: userId, name: email.split('@')[0] },
          isLanguage(body.language) ? WEBCHAT_LOCALE[body.language] : undefined,
        );
        deps.log.info('web chat sign-in');
        res.setHeader('cache-control', 'no-store');
        res.send(200, {
          token: token.token,
          conversationId: token.conversationId,
          expiresIn: token.expires_in,
          userId,
          directLine: deps.directLineUrl(),
        });
      } catch (err) {
        if (!(err instanceof DirectLineUnavailable)) throw err;
        deps.log.warn({ err: err.message }, 'direct line token not issued');
        res.setHeader('retry-after', '10');
        throw new ApiError(
          503,
          'direct_line_unavailable',
          'the chat service is not reachable just now; try again shortly',
        );
      }
    }),
  );
}

/** 429 with the Retry-After that says when asking again can succeed. */
function tooMany(res: restify.Response, message: string, retryAfterMs: number): ApiError {
  res.setHeader('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  return new ApiError(429, 'too_many_requests', message);
}
