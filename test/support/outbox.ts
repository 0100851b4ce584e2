import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';

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
