import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock';

/** The FAQ tables as migration 002_faq creates them. */
export interface FaqFeedbackTable {
  id: string;
  question: string;
  entry_id: string | null;
  helpful: number;
  comment: string | null;
  user_id: string | null;
  channel: string | null;
  created_at: string;
}

export interface FaqUnansweredTable {
  id: string;
  question: string;
  user_id: string | null;
  channel: string | null;
  confidence: number;
  did_you_mean: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface FaqTables {
  faq_feedback: FaqFeedbackTable;
  faq_unanswered: FaqUnansweredTable;
}

export interface FeedbackInput {
  question: string;
  /** The entry the rated answer cited, if it cited one. */
  entryId?: string | null;
  helpful: boolean;
  comment?: string | null;
  userId?: string | null;
  channel?: string | null;
}

export interface FeedbackRecord {
  id: string;
  question: string;
  entryId: string | null;
  helpful: boolean;
  comment: string | null;
  userId: string | null;
  channel: string | null;
  createdAt: string;
}

export interface UnansweredInput {
  question: string;
  userId?: string | null;
  channel?: string | null;
  /** 0..1, as in the answer. */
  confidence?: number;
  /** Ids offered as "Did you mean" choices, if any. */
  didYouMean?: string[];
}

export interface UnansweredRecord {
  id: string;
  question: string;
  userId: string | null;
  channel: string | null;
  confidence: number;
  didYouMean: string[];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface FeedbackSummaryRow {
  entryId: string | null;
  helpful: number;
  notHelpful: number;
}

/** Long enough for any real question; bounds what one chat message can put in the table. */
const MAX_TEXT = 2000;
const MAX_LIST = 500;

/**
 * Feedback on answers and the questions the assistant could not answer, in the SQL store,
 * for support staff to review (and to improve knowledge/ from).
 */
export class FaqLog {
  private readonly db: Kysely<FaqTables>;

  /**
   * Takes the store's Kysely handle. Kysely's type parameter is invariant, so a handle typed
   * for the store's own Database (which need not list the FAQ tables) is accepted as any.
   */
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    db: Kysely<any>,
    private readonly clock: Clock = systemClock,
  ) {
    this.db = db as unknown as Kysely<FaqTables>;
  }

  async recordFeedback(input: FeedbackInput): Promise<FeedbackRecord> {
    const row: FaqFeedbackTable = {
      id: randomUUID(),
      question: clip(input.question) ?? '',
      entry_id: input.entryId ?? null,
      helpful: input.helpful ? 1 : 0,
      comment: clip(input.comment),
      user_id: input.userId ?? null,
      channel: input.channel ?? null,
      created_at: this.clock().toISOString(),
    };
    await this.db.insertInto('faq_feedback').values(row).execute();
    return toFeedback(row);
  }

  /** Newest first. */
  async listFeedback(
    filter: { helpful?: boolean; entryId?: string; since?: string; limit?: number } = {},
  ): Promise<FeedbackRecord[]> {
    let q = this.db.selectFrom('faq_feedback').selectAll();
    if (filter.helpful !== undefined) q = q.where('helpful', '=', filter.helpful ? 1 : 0);
    if (filter.entryId !== undefined) q = q.where('entry_id', '=', filter.entryId);
    if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limitOf(filter.limit)).execute();
    return rows.map(toFeedback);
  }

  /** Helpful / not helpful counts per cited entry, the least helpful first: where knowledge/ needs work. */
  async feedbackSummary(): Promise<FeedbackSummaryRow[]> {
    const rows = await this.db
      .selectFrom('faq_feedback')
      .select((eb) => [
        'entry_id',
        eb.fn.sum<number>('helpful').as('helpful'),
        eb.fn.countAll<number>().as('total'),
      ])
      .groupBy('entry_id')
      .execute();
    return rows
      .map((r) => ({
        entryId: r.entry_id,
        helpful: Number(r.helpful),
        notHelpful: Number(r.total) - Number(r.helpful),
      }))
      .sort((a, b) => b.notHelpful - a.notHelpful || String(a.entryId).localeCompare(String(b.entryId)));
  }

  async recordUnanswered(input: UnansweredInput): Promise<UnansweredRecord> {
    const row: FaqUnansweredTable = {
      id: randomUUID(),
      question: clip(input.question) ?? '',
      user_id: input.userId ?? null,
      channel: input.channel ?? null,
      confidence: Math.round(Math.min(1, Math.max(0, input.confidence ?? 0)) * 100),
      did_you_mean: input.didYouMean?.length ? JSON.stringify(input.didYouMean) : null,
      created_at: this.clock().toISOString(),
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    };
    await this.db.insertInto('faq_unanswered').values(row).execute();
    return toUnanswered(row);
  }

  /** Open questions newest first (oldest first for a work list); resolved ones too when asked. */
  async listUnanswered(
    filter: { includeResolved?: boolean; limit?: number; oldestFirst?: boolean } = {},
  ): Promise<UnansweredRecord[]> {
    let q = this.db.selectFrom('faq_unanswered').selectAll();
    if (!filter.includeResolved) q = q.where('resolved_at', 'is', null);
    const rows = await q
      .orderBy('created_at', filter.oldestFirst ? 'asc' : 'desc')
      .orderBy('id')
      .limit(limitOf(filter.limit))
      .execute();
    return rows.map(toUnanswered);
  }

  /**
   * Marks as handled every open copy of one person's question (its hand-over ticket was
   * answered or resolved); returns how many.
   */
  async resolveMatching(
    userId: string,
    question: string,
    resolvedBy: string,
    resolution?: string,
  ): Promise<number> {
    const text = clip(question) ?? '';
    const result = await this.db
      .updateTable('faq_unanswered')
      .set({ resolved_at: this.clock().toISOString(), resolved_by: resolvedBy, resolution: clip(resolution) })
      .where('user_id', '=', userId)
      .where('question', '=', text)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Marks a question handled; false when it does not exist or was already resolved. */
  async resolveUnanswered(id: string, by: { resolvedBy: string; resolution?: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('faq_unanswered')
      .set({
        resolved_at: this.clock().toISOString(),
        resolved_by: by.resolvedBy,
        resolution: clip(by.resolution),
      })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function clip(s: string | null | undefined): string | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t;
}

function limitOf(n: number | undefined): number {
  return Math.min(MAX_LIST, Math.max(1, Math.floor(n ?? 100)));
}

function toFeedback(r: FaqFeedbackTable): FeedbackRecord {
  return {
    id: r.id,
    question: r.question,
    entryId: r.entry_id,
    helpful: Number(r.helpful) === 1,
    comment: r.comment,
    userId: r.user_id,
    channel: r.channel,
    createdAt: r.created_at,
  };
}

function toUnanswered(r: FaqUnansweredTable): UnansweredRecord {
  return {
    id: r.id,
    question: r.question,
    userId: r.user_id,
    channel: r.channel,
    confidence: Number(r.confidence) / 100,
    didYouMean: r.did_you_mean ? (JSON.parse(r.did_you_mean) as string[]) : [],
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  };
}
