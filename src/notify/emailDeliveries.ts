import type { Store } from '../db/database';
import { systemClock, type Clock } from '../clock';

const EMAIL = 'email';

export type EmailClaim =
  { kind: 'mine'; address: string; attempts: number } | { kind: 'done' } | { kind: 'busy'; untilMs: number };

export type EmailFinal = 'sent' | 'failed' | 'kept';

/** An e-mail that could not be delivered, for the staff card and the support lookup. */
export interface EmailProblem {
  address: string;
  detail: string;
  at: string;
}

/**
 * The e-mail deliveries in notification_deliveries (channel 'email'): one per event and
 * recipient, claimed before it is sent exactly as a chat delivery is (deliveryLog.ts), and
 * finished the moment the relay answers. What differs: the address is fixed by the first
 * attempt (a retry goes where the first try went), and a temporary refusal is kept as
 * `retry` with its attempt count instead of being handed back, so MAIL_MAX_ATTEMPTS holds
 * across the dispatcher's retries. Claims are renewed with the chat ones (same owner).
 */
export class EmailDeliveries {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(
    eventId: string,
    userId: string,
    owner: string,
    leaseMs: number,
    first: { address: string; applicationId: string | null },
  ): Promise<EmailClaim> {
    const now = this.clock();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const inserted = await this.store.db
      .insertInto('notification_deliveries')
      .values({
        event_id: eventId,
        user_id: userId,
        channel: EMAIL,
        status: 'sending',
        detail: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        claimed_by: owner,
        claimed_until: until,
        address: first.address,
        application_id: first.applicationId,
        attempts: 0,
      })
      .onConflict((oc) => oc.columns(['event_id', 'user_id', 'channel']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      return { kind: 'mine', address: first.address, attempts: 0 };
    }
    // Refused for now earlier, or its holder died while sending: take it over.
    const taken = await this.store.db
      .updateTable('notification_deliveries')
      .set({ status: 'sending', claimed_by: owner, claimed_until: until })
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', EMAIL)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'retry'),
          eb.and([
            eb('status', '=', 'sending'),
            eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now.toISOString())]),
          ]),
        ]),
      )
      .returning(['address', 'attempts'])
      .executeTakeFirst();
    if (taken) return { kind: 'mine', address: taken.address ?? first.address, attempts: taken.attempts };
    const row = await this.row(eventId, userId);
    if (!row || row.status !== 'sending') return { kind: 'done' };
    return { kind: 'busy', untilMs: Date.parse(row.claimed_until ?? now.toISOString()) };
  }

  /** The relay answered for good (or the e-mail was kept): what happened, once. */
  async finish(
    eventId: string,
    userId: string,
    owner: string,
    status: EmailFinal,
    detail?: string,
  ): Promise<void> {
    await this.release(eventId, userId, owner, status, detail ?? null);
  }

  /** Refused for now: kept for the next attempt, counted. */
  async retry(eventId: string, userId: string, owner: string, detail: string): Promise<void> {
    await this.release(eventId, userId, owner, 'retry', detail);
  }

  /** Ends this owner's claim with an outcome, counting the attempt. */
  private async release(
    eventId: string,
    userId: string,
    owner: string,
    status: EmailFinal | 'retry',
    detail: string | null,
  ): Promise<void> {
    await this.store.db
      .updateTable('notification_deliveries')
      .set((eb) => ({
        status,
        detail,
        claimed_by: null,
        claimed_until: null,
        attempts: eb('attempts', '+', 1),
        updated_at: this.clock().toISOString(),
      }))
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', EMAIL)
      .where('claimed_by', '=', owner)
      .execute();
  }

  /** E-mails to the application's people that failed for good, newest first. */
  async problems(applicationId: string): Promise<EmailProblem[]> {
    const rows = await this.store.db
      .selectFrom('notification_deliveries')
      .select(['address', 'detail', 'updated_at', 'created_at'])
      .where('application_id', '=', applicationId)
      .where('channel', '=', EMAIL)
      .where('status', '=', 'failed')
      .orderBy('updated_at', 'desc')
      .limit(5)
      .execute();
    return rows.map((r) => ({
      address: r.address ?? '',
      detail: r.detail ?? '',
      at: r.updated_at ?? r.created_at,
    }));
  }

  /** Reminder e-mails refused for now, to be tried again on the scheduler's next pass. */
  async pendingReminders(): Promise<{ eventId: string; userId: string }[]> {
    const rows = await this.store.db
      .selectFrom('notification_deliveries')
      .select(['event_id', 'user_id'])
      .where('channel', '=', EMAIL)
      .where('status', '=', 'retry')
      .where('event_id', 'like', 'reminder:%')
      .limit(500)
      .execute();
    return rows.map((r) => ({ eventId: r.event_id, userId: r.user_id }));
  }

  async forEvent(eventId: string) {
    return this.store.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('channel', '=', EMAIL)
      .execute();
  }

  private row(eventId: string, userId: string) {
    return this.store.db
      .selectFrom('notification_deliveries')
      .select(['status', 'claimed_until'])
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', EMAIL)
      .executeTakeFirst();
  }
}
