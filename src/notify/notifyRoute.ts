import type restify from 'restify';
import { ApiError } from '../http/apiError';
import { parseJson, readJsonText } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import type { EventIntake } from './eventIntake';
import { notifyEvent } from './notifyEvent';
import { verify } from './signature';

export interface NotifyRouteDeps {
  intake: EventIntake;
  /** NOTIFY_SECRET, then any previous secret still accepted during a rotation. */
  secrets: string[];
  log: Logger;
  maxBodyBytes: number;
  now?: () => number;
}

/**
 * POST /api/notify (DESIGN.md's webhook), for a dispatcher in another process: signature
 * and timestamp first, then the event's shape, then the intake (replays, delivery).
 */
export function mountNotify(server: restify.Server, deps: NotifyRouteDeps): void {
  const now = deps.now ?? Date.now;
  server.post(
    '/api/notify',
    route(deps.log, async (req, res) => {
      const raw = await readJsonText(req, deps.maxBodyBytes);
      const verdict = verify(req.headers, raw, deps.secrets, now());
      if (!verdict.ok) {
        deps.log.warn({ code: verdict.code }, 'notify request refused');
        throw ApiError.unauthorized(`${verdict.message} (${verdict.code})`);
      }
      const parsed = notifyEvent.safeParse(parseJson(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw ApiError.badRequest(`${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      const answer = await deps.intake.accept(parsed.data);
      if (answer.retryAfterSeconds) res.setHeader('retry-after', String(answer.retryAfterSeconds));
      res.send(answer.status, answer.body);
    }),
  );
}
