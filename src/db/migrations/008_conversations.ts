import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What conversations people can finish need from the store (issue 13):
 * - applications: where a rejection came from and whether the BD closed it for good, so a
 *   partner is offered the right way back (or told there is none);
 * - handovers: a ticket number support can type, the application it is about, who claimed it;
 * - welcomes: one row per conversation, inserted once, so two install events arriving at once
 *   (Teams sends installationUpdate and conversationUpdate) greet once;
 * - card_copies: every card with buttons the bot sent about an application, so each copy is
 *   replaced by its read-only summary once someone acts.
 */
export function conversationTables(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('applications').addColumn('rejected_from', 'text').execute();
      await db.schema.alterTable('applications').addColumn('closed_at', 'text').execute();

      await db.schema.alterTable('handovers').addColumn('ticket', 'integer').execute();
      await db.schema.alterTable('handovers').addColumn('application_id', 'text').execute();
      await db.schema.alterTable('handovers').addColumn('claimed_by', 'text').execute();
      await db.schema.alterTable('handovers').addColumn('claimed_at', 'text').execute();
      // Tickets of hand-overs made before this migration, in the order they were asked.
      const old = await sql<{ id: string }>`select id from handovers order by created_at, id`.execute(db);
      let n = 0;
      for (const row of old.rows) {
        await sql`update handovers set ticket = ${++n} where id = ${row.id}`.execute(db);
      }
      await db.schema.createIndex('handovers_ticket').on('handovers').column('ticket').unique().execute();
      await db.schema
        .createIndex('handovers_open')
        .on('handovers')
        .columns(['status', 'created_at'])
        .execute();

      await db.schema
        .createTable('welcomes')
        .addColumn('conversation_id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('card_copies')
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('activity_id', 'text', (c) => c.notNull())
        // An application's id, or a hand-over's (kind 'handover').
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('card_copies_pk', ['conversation_id', 'activity_id'])
        .execute();
      await db.schema.createIndex('card_copies_subject').on('card_copies').column('subject_id').execute();
    },
  };
}
