import type restify from 'restify';
import { AuthenticationError } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { BotAdapter } from './botAdapter';
import { ApiError } from '../http/apiError';
import { readJsonBody } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import { parseActivity } from './inboundActivity';
import type { OnboardingBot } from './onboardingBot';

/** POST /api/messages: the Bot Framework channel's door. Auth is the adapter's (401 on a bad token). */
export function mountMessages(
  server: restify.Server,
  deps: { adapter: BotAdapter; bot: OnboardingBot; log: Logger; maxBodyBytes: number },
): void {
  server.post(
    '/api/messages',
    route(deps.log, async (req, res) => {
      const body = parseActivity(await readJsonBody(req, deps.maxBodyBytes));
      const auth = req.header('authorization') ?? '';
      try {
        const invoke = await deps.adapter.handle(auth, body as unknown as Activity, (ctx) =>
          deps.bot.run(ctx),
        );
        // An invoke the bot has no handler for comes back 501 from the adapter: for the caller
        // that is a request this bot does not take, a 400 in the documented shape.
        if (invoke?.status === 501) {
          throw ApiError.badRequest(
            'name: this bot does not handle that invoke',
            undefined,
            'unsupported_invoke',
          );
        }
        if (invoke) res.send(invoke.status, invoke.body ?? {});
        else res.send(200);
      } catch (err) {
        if (isAuthFailure(err)) {
          throw ApiError.unauthorized('missing or invalid Bot Framework token');
        }
        throw err;
      }
    }),
  );
}

/**
 * The adapter throws AuthenticationError for most refusals, but a token with the wrong
 * issuer or audience, or a bad signature, surfaces as jsonwebtoken's own error: all are 401.
 */
function isAuthFailure(err: unknown): boolean {
  const e = err as { statusCode?: number; name?: string };
  return (
    err instanceof AuthenticationError ||
    e?.statusCode === 401 ||
    e?.name === 'JsonWebTokenError' ||
    e?.name === 'TokenExpiredError' ||
    e?.name === 'NotBeforeError'
  );
}
