import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { BotAdapter } from '../bot/botAdapter';
import type { ConversationReferenceStore, StoredReference } from '../bot/conversationReferenceStore';
import type { Logger } from '../logger';

export interface SenderOptions {
  /** The bot's app id ('' for a development instance). */
  appId: string;
  /** Sends in flight at once across all recipients (Teams throttles per bot). */
  concurrency: number;
  /** 429 retries per message, each after the Retry-After the channel asked for. */
  maxThrottleRetries: number;
  /** Retry-After longer than this is not waited for in-line: the event is retried later. */
  maxRetryAfterMs: number;
}

export const DEFAULT_SENDER_OPTIONS: Omit<SenderOptions, 'appId'> = {
  concurrency: 8,
  maxThrottleRetries: 3,
  maxRetryAfterMs: 10_000,
};

/** What to do in the recipient's conversation; returns the id of a card it sent, if any. */
export type ConversationWork = (ctx: TurnContext, where: StoredReference) => Promise<void>;

export type SendOutcome =
  | { status: 'sent'; conversationId: string }
  | { status: 'unreachable' }
  | { status: 'dead'; detail: string }
  | { status: 'retry'; detail: string; retryAfterMs?: number };

/**
 * Reaches a user in the newest conversation they have with the bot, through the adapter's
 * continueConversationAsync and the stored reference. 429 is waited out (Retry-After) a few
 * times; 403/404 (bot removed, blocked, conversation gone) mark that reference dead and the
 * next one is tried. Concurrency is bounded so a fan-out does not trip the throttling.
 */
export class ProactiveSender {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly adapter: BotAdapter,
    private readonly references: ConversationReferenceStore,
    private readonly options: SenderOptions,
    private readonly log: Logger,
  ) {}

  async send(userId: string, work: ConversationWork): Promise<SendOutcome> {
    const refs = await this.references.forUser(userId);
    let lastDead: string | undefined;
    for (const where of refs) {
      const outcome = await this.inSlot(() => this.attempt(where, work));
      if (outcome.status !== 'dead') return outcome;
      lastDead = outcome.detail;
      await this.references.markDead(userId, where.conversationId);
      this.log.info(
        { conversation: where.conversationId, detail: outcome.detail },
        'conversation reference marked dead',
      );
    }
    return lastDead ? { status: 'dead', detail: lastDead } : { status: 'unreachable' };
  }

  /** Runs `work` in one known conversation of the user (to update a card there); false if it is gone. */
  async inConversation(userId: string, conversationId: string, work: ConversationWork): Promise<boolean> {
    const where = (await this.references.forUser(userId)).find((r) => r.conversationId === conversationId);
    if (!where) return false;
    const outcome = await this.inSlot(() => this.attempt(where, work));
    if (outcome.status === 'dead') await this.references.markDead(userId, conversationId);
    return outcome.status === 'sent';
  }

  /** Runs `work` in a conversation found by reference, as one proactive turn. */
  private async attempt(where: StoredReference, work: ConversationWork): Promise<SendOutcome> {
    for (let tries = 0; ; tries++) {
      try {
        await this.adapter.continueConversationAsync(
          this.options.appId,
          where.reference as Partial<ConversationReference>,
          (ctx) => work(ctx, where),
        );
        return { status: 'sent', conversationId: where.conversationId };
      } catch (err) {
        const { status, retryAfterMs } = httpFailure(err);
        if (status === 403 || status === 404) return { status: 'dead', detail: `HTTP ${status}` };
        if (status === 429) {
          const wait = retryAfterMs ?? 1000 * 2 ** tries;
          if (tries < this.options.maxThrottleRetries && wait <= this.options.maxRetryAfterMs) {
            await new Promise((r) => setTimeout(r, wait));
            continue;
          }
          return { status: 'retry', detail: 'throttled (429)', retryAfterMs: wait };
        }
        return { status: 'retry', detail: status ? `HTTP ${status}` : (err as Error).message };
      }
    }
  }

  private async inSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** The HTTP status and Retry-After of a connector error, whatever client library threw it. */
export function httpFailure(err: unknown): { status?: number; retryAfterMs?: number } {
  const e = err as {
    statusCode?: number;
    status?: number;
    response?: {
      status?: number;
      headers?: { get?: (n: string) => string | undefined } & Record<string, unknown>;
    };
  };
  const status = e?.statusCode ?? e?.response?.status ?? e?.status;
  const headers = e?.response?.headers;
  const raw = headers?.get?.('retry-after') ?? (headers?.['retry-after'] as string | undefined);
  const seconds = raw === undefined ? NaN : Number(raw);
  return { status, retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined };
}

/** Sends an activity and returns the id the channel gave it. */
export async function sendAndGetId(
  ctx: TurnContext,
  activity: Partial<Activity>,
): Promise<string | undefined> {
  const r = await ctx.sendActivity(activity);
  return r?.id;
}
