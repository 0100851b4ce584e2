import type { Kysely, Migration } from 'kysely';

/**
 * The `people` table (001) was never written or read: display names and languages live
 * beside the conversation references and in user state. Dropped rather than left to mislead.
 */
export function dropPeople(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('people').ifExists().execute();
    },
  };
}
