import type { EventIntake } from './eventIntake';
import type { NotifyEvent } from './notifyEvent';
import { NOTIFY_HEADERS, sign } from './signature';

/** How one outbox event reached the bot: acknowledged, or not yet (and how long to wait). */
export type Delivery = { ok: true } | { ok: false; failure: string; retryAfterMs?: number };

/** Hands one outbox event to the bot. */
export type EventTransport = (event: NotifyEvent) => Promise<Delivery>;

/** A 2xx, or 409 duplicate_event (the bot already handled it; our earlier acknowledgement was lost). */
function acknowledged(status: number, body: string): boolean {
  return (status >= 200 && status < 300) || (status === 409 && body.includes('duplicate_event'));
}

/** The signed webhook (DESIGN.md), for a bot in another process or behind NOTIFY_URL. */
export function webhookTransport(options: {
  /** A function when the address is known only once the server listens. */
  url: string | (() => string);
  secret: string;
  timeoutMs: number;
}): EventTransport {
  return async (event) => {
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const url = typeof options.url === 'function' ? options.url() : options.url;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [NOTIFY_HEADERS.timestamp]: timestamp,
          [NOTIFY_HEADERS.signature]: sign(options.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.text();
      if (acknowledged(res.status, text)) return { ok: true };
      const ra = Number(res.headers.get('retry-after'));
      return {
        ok: false,
        failure: `HTTP ${res.status}: ${text.slice(0, 200)}`,
        retryAfterMs: Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined,
      };
    } catch (err) {
      return { ok: false, failure: (err as Error).message };
    }
  };
}

/**
 * The bot in this very process: the event goes straight to the intake, with the same
 * answers as the webhook and none of its cost (an HTTP request to itself, a signature, a
 * body to parse: about a quarter of a card press, measured).
 */
export function inProcessTransport(intake: EventIntake, timeoutMs: number): EventTransport {
  return async (event) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        intake.accept(event),
        new Promise<never>((_r, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      const text = JSON.stringify(answer.body);
      if (acknowledged(answer.status, text)) return { ok: true };
      return {
        ok: false,
        failure: `${answer.status}: ${text.slice(0, 200)}`,
        retryAfterMs: answer.retryAfterSeconds ? answer.retryAfterSeconds * 1000 : undefined,
      };
    } catch (err) {
      return { ok: false, failure: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  };
}
