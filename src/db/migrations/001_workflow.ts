import { type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../schema';

/** Applications, their UIDs, the audit trail, the outbox, idempotency keys and people. */
export function workflowTables(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('partner_user_id', 'text', (c) => c.notNull())
        .addColumn('bd_user_id', 'text')
        .addColumn('company_name', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('decision_sheet', 'text')
        .addColumn('last_note', 'text')
        .addColumn('invitation_code_hash', 'text')
        .addColumn('invitation_expires_at', 'text')
        .addColumn('due_at', 'text')
        .addColumn('status_since', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('applications_partner')
        .on('applications')
        .column('partner_user_id')
        .execute();
      await db.schema
        .createIndex('applications_status_due')
        .on('applications')
        .columns(['status', 'due_at'])
        .execute();

      await db.schema
        .createTable('application_uids')
        .addColumn('application_id', 'text', (c) =>
          c.notNull().references('applications.id').onDelete('cascade'),
        )
        .addColumn('uid', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('application_uids_pk', ['application_id', 'uid', 'kind'])
        .execute();
      await db.schema.createIndex('application_uids_uid').on('application_uids').column('uid').execute();

      // (application_id, version) is unique: two transitions from one version cannot both commit.
      await db.schema
        .createTable('history')
        .addColumn('application_id', 'text', (c) =>
          c.notNull().references('applications.id').onDelete('cascade'),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('history_pk', ['application_id', 'version'])
        .execute();

      let outbox = db.schema.createTable('outbox');
      outbox =
        dialect === 'postgres'
          ? outbox.addColumn('seq', 'serial', (c) => c.primaryKey())
          : outbox.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
      await outbox
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('outbox_pending')
        .on('outbox')
        .columns(['delivered_at', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor', 'key'])
        .execute();

      await db.schema
        .createTable('people')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text')
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
