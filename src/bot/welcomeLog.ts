import type { Store } from '../db/database';

/**
 * One welcome per conversation. Teams sends installationUpdate and conversationUpdate for one
 * install, often at the same moment: a flag in conversation state (saved at each turn's end)
 * let both turns through. A conditional insert is atomic across turns and instances: only the
 * turn whose row goes in says welcome.
 */
export class WelcomeLog {
  constructor(private readonly store: Store) {}

  /** True for the first caller for this conversation, false for every later one. */
  async first(conversationId: string): Promise<boolean> {
    const r = await this.store.db
      .insertInto('welcomes')
      .values({ conversation_id: conversationId, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
}
