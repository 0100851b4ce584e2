import { sql, type Kysely, type Migration } from 'kysely';

/**
 * E-mail beside chat (issue 15):
 * - notification_deliveries gets a `channel` ('chat' | 'email') in its key, so each event has
 *   one delivery per recipient and channel; an e-mail's row also keeps the address it went to,
 *   its application (the staff card shows a failure), and how often it was tried (a 4xx is
 *   tried again until MAIL_MAX_ATTEMPTS). SQLite cannot change a primary key in place: the
 *   table is rebuilt, its rows carried over as chat deliveries.
 * - contact_preferences: how a partner wants to hear of their application (e-mail, chat, both);
 * - signin_codes: the one-time code a Web Chat user proves their e-mail with (hashed, expiring,
 *   counted), one row per address;
 * - webchat_identities: the Web Chat user id each proven address signs in as.
 */
export function emailTables(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notification_deliveries_by_channel')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull().defaultTo('chat'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('application_id', 'text')
        .addColumn('address', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text')
        .addPrimaryKeyConstraint('notification_deliveries_channel_pk', ['event_id', 'user_id', 'channel'])
        .execute();
      await sql`insert into notification_deliveries_by_channel
          (event_id, user_id, channel, status, detail, created_at, claimed_by, claimed_until)
        select event_id, user_id, 'chat', status, detail, created_at, claimed_by, claimed_until
          from notification_deliveries`.execute(db);
      await db.schema.dropTable('notification_deliveries').execute();
      await db.schema
        .alterTable('notification_deliveries_by_channel')
        .renameTo('notification_deliveries')
        .execute();
      await db.schema
        .createIndex('notification_deliveries_application')
        .on('notification_deliveries')
        .columns(['application_id', 'channel'])
        .execute();

      await db.schema
        .createTable('contact_preferences')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('channels', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('signin_codes')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('code_hash', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webchat_identities')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('signed_in_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
