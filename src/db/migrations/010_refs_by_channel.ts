import type { Kysely, Migration } from 'kysely';

/**
 * Opening a Teams chat with someone who never wrote to the bot (a BD, typically) starts from
 * the newest live reference on the channel; without this index that read scanned and sorted
 * every reference, once per such notification.
 */
export function refsByChannel(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('conversation_refs_channel_live')
        .on('conversation_refs')
        .columns(['channel_id', 'dead', 'updated_at'])
        .execute();
    },
  };
}
