import { KvUnavailable, type TtlStore } from '../kv';
import type restify from 'restify';
import { ApiError } from '../http/apiError';
import { parseJson, readJsonText } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import { DuplicateEvent, RetryLater, type Notifier } from './notifier';
import { notifyEvent } from './notifyEvent';
import { verify } from './signature';

/** Event ids are remembered well past the timestamp window, so a replay is refused either way. */
const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** Retry-After while the Keyv store is down. */
const STORE_RETRY_SECONDS = 5;

export interface NotifyRouteDeps {
  notifier: Notifier;
  /** NOTIFY_SECRET, then any previous secret still accepted during a rotation. */
  secrets: string[];
  seen: TtlStore<boolean>;
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
      let seen: boolean | undefined;
      try {
        seen = await deps.seen.get(event.eventId);
      } catch (err) {
        if (!(err instanceof KvUnavailable)) throw err;
        // Without the replay check nothing is sent: the dispatcher retries once the store is back.
        res.setHeader('retry-after', String(STORE_RETRY_SECONDS));
        res.send(503, {
          error: { code: 'store_unavailable', message: 'replay protection is unavailable; retry later' },
        });
        return;
      }
      if (seen) {
        throw ApiError.conflict(`event ${event.eventId} was already handled`, undefined, 'duplicate_event');
      }
      try {
        const report = await deps.notifier.handle(event);
        // Remembering may fail in an outage; the delivery records still stop a retry from resending.
        await deps.seen.set(event.eventId, true, SEEN_TTL_MS).catch(() => undefined);
        deps.log.info(
          { eventId: event.eventId, type: event.type, sent: report.sent.length, cards: report.cardsUpdated },
          'notified',
        );
        res.send(200, { eventId: event.eventId, delivered: report.sent.length });
      } catch (err) {
        if (err instanceof DuplicateEvent) {
          throw ApiError.conflict(err.message, undefined, 'duplicate_event');
        }
        if (!(err instanceof RetryLater)) throw err;
        const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000));
        res.setHeader('retry-after', String(seconds));
        res.send(503, { error: { code: err.code, message: err.message } });
      }
    }),
  );
}
