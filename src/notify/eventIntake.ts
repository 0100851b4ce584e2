import { ApiError } from '../http/apiError';
import { KvUnavailable, type TtlStore } from '../kv';
import type { Logger } from '../logger';
import { DuplicateEvent, RetryLater, type Notifier } from './notifier';
import type { NotifyEvent } from './notifyEvent';

/** Event ids are remembered well past the timestamp window, so a replay is refused either way. */
const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** Retry-After while the Keyv store is down. */
const STORE_RETRY_SECONDS = 5;

/** What the webhook answers (and what an in-process dispatcher hears): 200, 409 or 503. */
export interface IntakeAnswer {
  status: 200 | 409 | 503;
  body: unknown;
  retryAfterSeconds?: number;
}

/**
 * An accepted event's way in, after its signature (webhook) or with none needed (the
 * dispatcher in this process): the event id against replays, then the notifier. 200 once
 * everyone was reached; 409 duplicate_event for an event already handled; 503 with a
 * Retry-After when someone could not be reached yet or the replay store is down.
 */
export class EventIntake {
  constructor(private readonly deps: { notifier: Notifier; seen: TtlStore<boolean>; log: Logger }) {}

  async accept(event: NotifyEvent): Promise<IntakeAnswer> {
    let seen: boolean | undefined;
    try {
      seen = await this.deps.seen.get(event.eventId);
    } catch (err) {
      if (!(err instanceof KvUnavailable)) throw err;
      // Without the replay check nothing is sent: the dispatcher retries once the store is back.
      return {
        status: 503,
        retryAfterSeconds: STORE_RETRY_SECONDS,
        body: {
          error: { code: 'store_unavailable', message: 'replay protection is unavailable; retry later' },
        },
      };
    }
    if (seen) return duplicate(`event ${event.eventId} was already handled`);
    try {
      const report = await this.deps.notifier.handle(event);
      // Remembering may fail in an outage; the delivery records still stop a retry from resending.
      await this.deps.seen.set(event.eventId, true, SEEN_TTL_MS).catch(() => undefined);
      this.deps.log.info(
        { eventId: event.eventId, type: event.type, sent: report.sent.length, cards: report.cardsUpdated },
        'notified',
      );
      return { status: 200, body: { eventId: event.eventId, delivered: report.sent.length } };
    } catch (err) {
      if (err instanceof DuplicateEvent) return duplicate(err.message);
      if (!(err instanceof RetryLater)) throw err;
      return {
        status: 503,
        retryAfterSeconds: Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000)),
        body: { error: { code: err.code, message: err.message } },
      };
    }
  }
}

function duplicate(message: string): IntakeAnswer {
  return { status: 409, body: ApiError.conflict(message, undefined, 'duplicate_event').toBody() };
}
