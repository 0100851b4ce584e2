import type Keyv from 'keyv';
import type restify from 'restify';
import { ApiError } from '../http/apiError';
import { parseJson, readJsonText } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import { RetryLater, type Notifier } from './notifier';
import { notifyEvent } from './notifyEvent';
import { verify } from './signature';

/** Event ids are remembered well past the timestamp window, so a replay is refused either way. */
const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;

export interface NotifyRouteDeps {
  notifier: Notifier;
  /** NOTIFY_SECRET, then any previous secret still accepted during a rotation. */
  secrets: string[];
  seen: Keyv<boolean>;
  log: Logger;
  maxBodyBytes: number;
  now?: () => number;
}

/**
 * POST /api/notify (DESIGN.md's webhook): signature and timestamp first, then the event
 * id against replays, then delivery. 200 once everyone was reached; 409 duplicate_event
 * for an event already handled; 503 with Retry-After when someone could not be reached yet
 * (the delivery records make the retry skip those already reached).
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
      const event = parsed.data;
      if (await deps.seen.get(event.eventId)) {
        throw ApiError.conflict(`event ${event.eventId} was already handled`, undefined, 'duplicate_event');
      }
      try {
        const report = await deps.notifier.handle(event);
        await deps.seen.set(event.eventId, true, SEEN_TTL_MS);
        deps.log.info(
          { eventId: event.eventId, type: event.type, sent: report.sent.length, cards: report.cardsUpdated },
          'notified',
        );
        res.send(200, { eventId: event.eventId, delivered: report.sent.length });
      } catch (err) {
        if (!(err instanceof RetryLater)) throw err;
        const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000));
        res.setHeader('retry-after', String(seconds));
        res.send(503, { error: { code: 'retry_later', message: err.message } });
      }
    }),
  );
}
