import type { Kysely, Migration } from 'kysely';

/**
 * Claims taken before anything is sent, so two copies of one webhook in flight cannot both
 * send: one row per event (who holds it, until when, done or not), a claim on each
 * recipient's delivery row (status 'sending' until the channel has answered), and the event
 * each BD card was posted for (a retry of that event updates the card instead of posting it).
 */
export function notifyClaims(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notification_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('notification_deliveries').addColumn('claimed_by', 'text').execute();
      await db.schema.alterTable('notification_deliveries').addColumn('claimed_until', 'text').execute();
      await db.schema.alterTable('sent_cards').addColumn('event_id', 'text').execute();
    },
  };
}
