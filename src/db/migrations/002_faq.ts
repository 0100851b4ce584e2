import { type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../schema';

/**
 * FAQ feedback (helpful / not helpful per answer) and the questions the assistant could not
 * answer, kept for support staff to review. Portable types only: ISO timestamps as text,
 * booleans as 0/1, confidence as an integer percentage.
 */
export function faqTables(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('faq_feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('helpful', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('user_id', 'text')
        .addColumn('channel', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('faq_feedback_created').on('faq_feedback').column('created_at').execute();
      await db.schema
        .createIndex('faq_feedback_entry')
        .on('faq_feedback')
        .columns(['entry_id', 'helpful'])
        .execute();

      await db.schema
        .createTable('faq_unanswered')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('channel', 'text')
        .addColumn('confidence', 'integer', (c) => c.notNull())
        .addColumn('did_you_mean', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolution', 'text')
        .execute();
      await db.schema
        .createIndex('faq_unanswered_open')
        .on('faq_unanswered')
        .columns(['resolved_at', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('faq_unanswered').execute();
      await db.schema.dropTable('faq_feedback').execute();
    },
  };
}
