import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxTable } from '../../src/db/schema';
import { NOTIFY_HEADERS, sign } from '../../src/notify/signature';

/**
 * Waits until the dispatcher has acknowledged every outbox event (of one application, or
 * all of them); throws, naming what is left and why, if that takes longer than `timeoutMs`.
 */
export async function outboxDrained(
  db: Kysely<Database>,
  applicationId?: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = db.selectFrom('outbox').select(['type', 'last_error']).where('delivered_at', 'is', null);
    if (applicationId) pending = pending.where('application_id', '=', applicationId);
    const left = await pending.execute();
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox not drained: ${JSON.stringify(left)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An outbox row as a dispatcher's webhook carries it (DESIGN.md's notification event). */
export function eventOf(row: Selectable<OutboxTable>) {
  return {
    eventId: row.id,
    type: row.type,
    applicationId: row.application_id,
    from: row.from_status,
    to: row.to_status,
    actor: row.actor,
    occurredAt: row.occurred_at,
  };
}

/** POSTs `body` to `/api/notify`, signed now with `secret` as a dispatcher signs it. */
export function postSigned(
  baseUrl: string,
  secret: string,
  body: string,
  timeoutMs: number,
): Promise<Response> {
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${baseUrl}/api/notify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [NOTIFY_HEADERS.timestamp]: ts,
      [NOTIFY_HEADERS.signature]: sign(secret, ts, body),
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
}
