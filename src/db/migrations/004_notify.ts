import type { Kysely, Migration } from 'kysely';

/**
 * What the notifier has done, so a retried event never reaches anyone twice: one row per
 * event and recipient, the cards it sent (to update them in place later), the deadline
 * reminders already given, and questions handed over to support.
 */
export function notifyTables(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notification_deliveries')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_deliveries_pk', ['event_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('sent_cards')
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('activity_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sent_cards_pk', ['application_id', 'user_id', 'conversation_id'])
        .execute();

      await db.schema
        .createTable('reminders')
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reminders_pk', ['application_id', 'due_date', 'kind'])
        .execute();

      await db.schema
        .createTable('handovers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('answered_by', 'text')
        .addColumn('answer', 'text')
        .addColumn('answered_at', 'text')
        .execute();
    },
  };
}
