import type { Store } from '../db/database';
import { systemClock, type Clock } from '../clock';
import type { Claim } from './eventClaims';

export type DeliveryStatus = 'sent' | 'dead' | 'unreachable';

/** The channel of the deliveries this log keeps (e-mail has its own: emailDeliveries.ts). */
const CHAT = 'chat';

/**
 * Per-recipient records of what the notifier did, and the cards it can update later. A
 * delivery is claimed ('sending') before its message goes out and finished the moment the
 * channel answers, so a second copy of the event never sends it again; a claim whose holder
 * died lapses and the message is sent once more (the one at-least-once step, see
 * docs/notifications.md).
 */
export class DeliveryLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(eventId: string, userId: string, owner: string, leaseMs: number): Promise<Claim> {
    const now = this.clock();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const inserted = await this.store.db
      .insertInto('notification_deliveries')
      .values({
        event_id: eventId,
        user_id: userId,
        channel: CHAT,
        status: 'sending',
        detail: null,
        created_at: now.toISOString(),
        claimed_by: owner,
        claimed_until: until,
      })
      .onConflict((oc) => oc.columns(['event_id', 'user_id', 'channel']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'mine' };
    const taken = await this.store.db
      .updateTable('notification_deliveries')
      .set({ claimed_by: owner, claimed_until: until })
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', CHAT)
      .where('status', '=', 'sending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now.toISOString())]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { kind: 'mine' };
    const row = await this.store.db
      .selectFrom('notification_deliveries')
      .select(['status', 'claimed_until'])
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', CHAT)
      .executeTakeFirst();
    if (!row || row.status !== 'sending') return { kind: 'done' };
    return { kind: 'busy', untilMs: Date.parse(row.claimed_until ?? now.toISOString()) };
  }

  /** Keeps the deliveries a live holder is still sending from lapsing (e-mails as well as chat). */
  async renew(eventId: string, owner: string, leaseMs: number): Promise<void> {
    await this.store.db
      .updateTable('notification_deliveries')
      .set({ claimed_until: new Date(this.clock().getTime() + leaseMs).toISOString() })
      .where('event_id', '=', eventId)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'sending')
      .execute();
  }

  /** The channel answered: what happened, for good. */
  async finish(
    eventId: string,
    userId: string,
    owner: string,
    status: DeliveryStatus,
    detail?: string,
  ): Promise<void> {
    await this.store.db
      .updateTable('notification_deliveries')
      .set({ status, detail: detail ?? null, claimed_by: null, claimed_until: null })
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', CHAT)
      .where('claimed_by', '=', owner)
      .execute();
  }

  /** Not sent (the channel asked to wait): the next attempt claims it afresh. */
  async release(eventId: string, userId: string, owner: string): Promise<void> {
    await this.store.db
      .deleteFrom('notification_deliveries')
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('channel', '=', CHAT)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'sending')
      .execute();
  }

  async forEvent(eventId: string) {
    return this.store.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('channel', '=', CHAT)
      .execute();
  }

  async cardsFor(applicationId: string) {
    return this.store.db
      .selectFrom('sent_cards')
      .selectAll()
      .where('application_id', '=', applicationId)
      .execute();
  }

  async saveCard(
    applicationId: string,
    userId: string,
    conversationId: string,
    activityId: string,
    eventId: string,
  ): Promise<void> {
    const now = this.clock().toISOString();
    await this.store.db
      .insertInto('sent_cards')
      .values({
        application_id: applicationId,
        user_id: userId,
        conversation_id: conversationId,
        activity_id: activityId,
        updated_at: now,
        event_id: eventId,
      })
      .onConflict((oc) =>
        oc
          .columns(['application_id', 'user_id', 'conversation_id'])
          .doUpdateSet({ activity_id: activityId, updated_at: now, event_id: eventId }),
      )
      .execute();
  }
}
