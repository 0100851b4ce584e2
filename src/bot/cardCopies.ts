import type { Store } from '../db/database';
import type { CardKind } from '../cards/applicationCards';

export interface CardCopy {
  conversationId: string;
  activityId: string;
  subjectId: string;
  userId: string;
  kind: CardKind | 'handover';
  version: number;
}

/**
 * Every card with buttons the bot sent about an application (or a hand-over ticket), where it
 * sits (conversation and activity id), for whom, and for which version. Once someone acts, each
 * copy built for an older version is replaced in place by its read-only summary, for everyone
 * holding one, and forgotten.
 */
export class CardCopies {
  constructor(private readonly store: Store) {}

  async record(copy: CardCopy): Promise<void> {
    const row = {
      conversation_id: copy.conversationId,
      activity_id: copy.activityId,
      subject_id: copy.subjectId,
      user_id: copy.userId,
      kind: copy.kind,
      version: copy.version,
      created_at: new Date().toISOString(),
    };
    await this.store.db
      .insertInto('card_copies')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['conversation_id', 'activity_id'])
          .doUpdateSet({ version: copy.version, kind: copy.kind }),
      )
      .execute();
  }

  /** The copies of a subject's cards built for a version older than `version` (all of them without one). */
  async olderThan(subjectId: string, version = Number.MAX_SAFE_INTEGER): Promise<CardCopy[]> {
    const rows = await this.store.db
      .selectFrom('card_copies')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .where('version', '<', version)
      .execute();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      activityId: r.activity_id,
      subjectId: r.subject_id,
      userId: r.user_id,
      kind: r.kind as CardCopy['kind'],
      version: r.version,
    }));
  }

  /**
   * Which card in this conversation was pressed: Web Chat's card buttons do not say (no
   * replyToId), but the data names the subject and the version the card was built for.
   */
  async find(
    conversationId: string,
    userId: string,
    subjectId: string,
    version?: number,
  ): Promise<string | undefined> {
    let q = this.store.db
      .selectFrom('card_copies')
      .select('activity_id')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .where('subject_id', '=', subjectId);
    if (version !== undefined) q = q.where('version', '=', version);
    const row = await q.orderBy('created_at', 'desc').executeTakeFirst();
    return row?.activity_id;
  }

  async forget(conversationId: string, activityId: string): Promise<void> {
    await this.store.db
      .deleteFrom('card_copies')
      .where('conversation_id', '=', conversationId)
      .where('activity_id', '=', activityId)
      .execute();
  }
}
