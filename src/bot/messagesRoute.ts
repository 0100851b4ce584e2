import type restify from 'restify';
import { AuthenticationError } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { BotAdapter } from './botAdapter';
import { ApiError } from '../http/apiError';
import { readJsonBody } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import type { OnboardingBot } from './onboardingBot';

/** POST /api/messages: the Bot Framework channel's door. Auth is the adapter's (401 on a bad token). */
export function mountMessages(
  server: restify.Server,
  deps: { adapter: BotAdapter; bot: OnboardingBot; log: Logger; maxBodyBytes: number },
): void {
  server.post(
    '/api/messages',
    route(deps.log, async (req, res) => {
      const body = await readJsonBody(req, deps.maxBodyBytes);
      if (!body || typeof body !== 'object' || typeof (body as Activity).type !== 'string') {
        throw ApiError.badRequest('body must be a Bot Framework activity with a type');
      }
      const auth = req.header('authorization') ?? '';
      try {
        const invoke = await deps.adapter.handle(auth, body as Activity, (ctx) => deps.bot.run(ctx));
        if (invoke) res.send(invoke.status, invoke.body ?? {});
        else res.send(200);
      } catch (err) {
        if (err instanceof AuthenticationError || (err as { statusCode?: number }).statusCode === 401) {
          throw ApiError.unauthorized('missing or invalid Bot Framework token');
        }
        throw err;
      }
    }),
  );
}
