import type { Store } from '../db/database';

export type DeliveryStatus = 'sent' | 'dead' | 'unreachable';

/** Per-recipient records of what the notifier did, and the cards it can update later. */
export class DeliveryLog {
  constructor(private readonly store: Store) {}

  /** Recipients this event already reached (or gave up on for good). */
  async done(eventId: string): Promise<Set<string>> {
    const rows = await this.store.db
      .selectFrom('notification_deliveries')
      .select('user_id')
      .where('event_id', '=', eventId)
      .execute();
    return new Set(rows.map((r) => r.user_id));
  }

  async record(eventId: string, userId: string, status: DeliveryStatus, detail?: string): Promise<void> {
    await this.store.db
      .insertInto('notification_deliveries')
      .values({
        event_id: eventId,
        user_id: userId,
        status,
        detail: detail ?? null,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
      .execute();
  }

  async forEvent(eventId: string) {
    return this.store.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
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
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.store.db
      .insertInto('sent_cards')
      .values({
        application_id: applicationId,
        user_id: userId,
        conversation_id: conversationId,
        activity_id: activityId,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['application_id', 'user_id', 'conversation_id'])
          .doUpdateSet({ activity_id: activityId, updated_at: now }),
      )
      .execute();
  }
}
