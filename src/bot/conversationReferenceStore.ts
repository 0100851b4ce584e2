import type { ConversationReference } from 'botbuilder';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock';
import type { Store } from '../db/database';
import { preparedQuery } from '../db/preparedQuery';
import type { ConversationRefsTable, Database } from '../db/schema';

export interface StoredReference {
  userId: string;
  conversationId: string;
  channelId: string;
  reference: Partial<ConversationReference>;
}

// Every notification reads these (prepared: compiled once).
const liveOfUser = preparedQuery((db: Kysely<Database>, userId: string) =>
  db
    .selectFrom('conversation_refs')
    .selectAll()
    .where('user_id', '=', userId)
    .where('dead', '=', 0)
    .orderBy('updated_at', 'desc'),
);
const newestLiveOnChannel = preparedQuery((db: Kysely<Database>, channelId: string) =>
  db
    .selectFrom('conversation_refs')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('dead', '=', 0)
    .orderBy('updated_at', 'desc')
    .limit(1),
);

const RECENT_MS = 60_000;
const RECENT_MAX = 10_000;

/** Where each user can be reached proactively; rewritten when it changes (and at least once a minute). */
export class ConversationReferenceStore {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  /** What this instance last wrote per user and conversation, and when: most turns change nothing. */
  private readonly recent = new Map<string, { json: string; at: number }>();

  async save(userId: string, turnReference: Partial<ConversationReference>): Promise<void> {
    // The id of the activity that brought it changes every turn and no proactive message needs it.
    const { activityId: _activityId, ...reference } = turnReference;
    const conversationId = reference.conversation?.id;
    if (!conversationId) return;
    const key = `${userId}\u0000${conversationId}`;
    const json = JSON.stringify(reference);
    const last = this.recent.get(key);
    // Skip identical rewrites for a minute (a reference marked dead elsewhere is revived by
    // the first write after that); every other turn refreshes it as before.
    const at = this.clock().getTime();
    if (last && last.json === json && at - last.at < RECENT_MS) return;
    const now = new Date(at).toISOString();
    const row = {
      user_id: userId,
      conversation_id: conversationId,
      channel_id: reference.channelId ?? 'unknown',
      reference: json,
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
    if (this.recent.size >= RECENT_MAX) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, { json, at });
  }

  /** Live references of a user, newest first. */
  async forUser(userId: string): Promise<StoredReference[]> {
    return (await liveOfUser(this.store.db, userId)).map(toStored);
  }

  /** The newest live reference on a channel, whoever it belongs to: where (service URL, tenant) to create a conversation. */
  async newestOnChannel(channelId: string): Promise<StoredReference | undefined> {
    const [r] = await newestLiveOnChannel(this.store.db, channelId);
    return r ? toStored(r) : undefined;
  }

  /** The bot was removed or blocked there: stop trying that conversation. */
  async markDead(userId: string, conversationId: string): Promise<void> {
    this.recent.delete(`${userId}\u0000${conversationId}`);
    await this.store.db
      .updateTable('conversation_refs')
      .set({ dead: 1, updated_at: this.clock().toISOString() })
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  /** The app was uninstalled or the bot removed: nobody is reachable there any more. */
  async removeConversation(conversationId: string): Promise<void> {
    for (const key of this.recent.keys())
      if (key.endsWith(`\u0000${conversationId}`)) this.recent.delete(key);
    await this.store.db
      .deleteFrom('conversation_refs')
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  async remove(userId: string, conversationId: string): Promise<void> {
    this.recent.delete(`${userId}\u0000${conversationId}`);
    await this.store.db
      .deleteFrom('conversation_refs')
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .execute();
  }
}

function toStored(r: Selectable<ConversationRefsTable>): StoredReference {
  return {
    userId: r.user_id,
    conversationId: r.conversation_id,
    channelId: r.channel_id,
    reference: JSON.parse(r.reference) as Partial<ConversationReference>,
  };
}
