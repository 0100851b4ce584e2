import type { ConversationReference } from 'botbuilder';
import type { Store } from '../db/database';

export interface StoredReference {
  userId: string;
  conversationId: string;
  channelId: string;
  reference: Partial<ConversationReference>;
}

/** Where each user can be reached proactively; refreshed on every turn. */
export class ConversationReferenceStore {
  constructor(private readonly store: Store) {}

  async save(userId: string, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId) return;
    const now = new Date().toISOString();
    const row = {
      user_id: userId,
      conversation_id: conversationId,
      channel_id: reference.channelId ?? 'unknown',
      reference: JSON.stringify(reference),
      dead: 0,
      updated_at: now,
    };
    await this.store.db
      .insertInto('conversation_refs')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'conversation_id'])
          .doUpdateSet({ reference: row.reference, dead: 0, updated_at: now }),
      )
      .execute();
  }

  /** Live references of a user, newest first. */
  async forUser(userId: string): Promise<StoredReference[]> {
    const rows = await this.store.db
      .selectFrom('conversation_refs')
      .selectAll()
      .where('user_id', '=', userId)
      .where('dead', '=', 0)
      .orderBy('updated_at', 'desc')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      conversationId: r.conversation_id,
      channelId: r.channel_id,
      reference: JSON.parse(r.reference) as Partial<ConversationReference>,
    }));
  }

  /** The newest live reference on a channel, whoever it belongs to: where (service URL, tenant) to create a conversation. */
  async newestOnChannel(channelId: string): Promise<StoredReference | undefined> {
    const r = await this.store.db
      .selectFrom('conversation_refs')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('dead', '=', 0)
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r
      ? {
          userId: r.user_id,
          conversationId: r.conversation_id,
          channelId: r.channel_id,
          reference: JSON.parse(r.reference) as Partial<ConversationReference>,
        }
      : undefined;
  }

  /** The bot was removed or blocked there: stop trying that conversation. */
  async markDead(userId: string, conversationId: string): Promise<void> {
    await this.store.db
      .updateTable('conversation_refs')
      .set({ dead: 1, updated_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  /** The app was uninstalled or the bot removed: nobody is reachable there any more. */
  async removeConversation(conversationId: string): Promise<void> {
    await this.store.db
      .deleteFrom('conversation_refs')
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  async remove(userId: string, conversationId: string): Promise<void> {
    await this.store.db
      .deleteFrom('conversation_refs')
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .execute();
  }
}
