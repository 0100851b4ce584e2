import { TurnContext, type ConversationReference } from '../bot/framework';
import type { BotAdapter } from '../bot/botAdapter';
import type { ConversationReferenceStore, StoredReference } from '../bot/conversationReferenceStore';
import type { Logger } from '../logger';
import { currentDeadline, retryAfterMs as parseRetryAfter } from '../bot/connectorRetry';

export interface SenderOptions {
  /** The bot's app id ('' for a development instance). */
  appId: string;
  /** Sends in flight at once across all recipients (Teams throttles per bot). */
  concurrency: number;
}

/** The Bot Connector's token audience in the public cloud. */
const TEAMS_AUDIENCE = 'https://api.botframework.com';

export const DEFAULT_SENDER_OPTIONS: Omit<SenderOptions, 'appId'> = {
  concurrency: 8,
};

/** What to do in the recipient's conversation, as one proactive turn there. */
export type ConversationWork = (ctx: TurnContext, where: StoredReference) => Promise<void>;

export type SendOutcome =
  | { status: 'sent'; conversationId: string }
  | { status: 'unreachable' }
  | { status: 'dead'; detail: string }
  | { status: 'retry'; detail: string; retryAfterMs?: number };

/**
 * Reaches a user in the newest conversation they have with the bot, through the adapter's
 * continueConversationAsync and the stored reference. A 429 is waited out by the connector's
 * one retry policy (src/bot/connectorRetry.ts) while the caller's deadline allows; one still
 * refused comes back as `retry` with its Retry-After. 403/404 (bot removed, blocked,
 * conversation gone) mark that reference dead and the next one is tried. Concurrency is
 * bounded so a fan-out does not trip the throttling; a send whose deadline passed while it
 * waited for a slot is not started.
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
    if (refs.length === 0) {
      const created = await this.inSlot(() => this.createAndSend(userId, work));
      if (created) return created;
    }
    return lastDead ? { status: 'dead', detail: lastDead } : { status: 'unreachable' };
  }

  /**
   * Someone who never wrote to the bot (a BD, typically): Teams lets a bot open a personal
   * chat by AAD object id in a tenant where it is installed, so create the conversation,
   * remember it and send. Other channels cannot; the caller records them as unreachable
   * (the work still shows in their queue).
   */
  private async createAndSend(userId: string, work: ConversationWork): Promise<SendOutcome | undefined> {
    const template = await this.references.newestOnChannel('msteams');
    const serviceUrl = template?.reference.serviceUrl;
    const tenantId = template?.reference.conversation?.tenantId;
    if (!template || !serviceUrl || !tenantId) return undefined;
    let conversationId: string | undefined;
    try {
      await rethrowing(
        (logic) =>
          this.adapter.createConversationAsync(
            this.options.appId,
            'msteams',
            serviceUrl,
            TEAMS_AUDIENCE,
            {
              isGroup: false,
              bot: template.reference.bot!,
              members: [{ id: userId, name: '' }],
              tenantId,
              channelData: { tenant: { id: tenantId } },
            } as never,
            logic,
          ),
        async (ctx) => {
          const reference = {
            ...TurnContext.getConversationReference(ctx.activity),
            user: { id: userId, name: '' },
          };
          conversationId = reference.conversation!.id;
          await this.references.save(userId, reference);
          await work(ctx, { userId, conversationId, channelId: 'msteams', reference });
        },
      );
    } catch (err) {
      const { status } = httpFailure(err);
      this.log.info({ status, detail: (err as Error).message }, 'could not open a Teams chat');
      return undefined;
    }
    return conversationId ? { status: 'sent', conversationId } : undefined;
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
    const deadline = currentDeadline();
    if (deadline !== undefined && Date.now() >= deadline) return { status: 'retry', detail: 'out of time' };
    try {
      await rethrowing(
        (logic) =>
          this.adapter.continueConversationAsync(
            this.options.appId,
            where.reference as Partial<ConversationReference>,
            logic,
          ),
        (ctx) => work(ctx, where),
      );
      return { status: 'sent', conversationId: where.conversationId };
    } catch (err) {
      const { status, retryAfterMs } = httpFailure(err);
      if (status === 403 || status === 404) return { status: 'dead', detail: `HTTP ${status}` };
      if (status === 429)
        return { status: 'retry', detail: 'throttled (429)', retryAfterMs: retryAfterMs ?? 1000 };
      return { status: 'retry', detail: status ? `HTTP ${status}` : (err as Error).message };
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
  return { status, retryAfterMs: parseRetryAfter(raw) };
}

/**
 * Runs a proactive turn so that an error inside it reaches the caller: the adapter's
 * onTurnError would swallow it, and apologise in the very conversation that just refused us.
 * Messages it sends are not replies.
 */
async function rethrowing(
  start: (logic: (ctx: TurnContext) => Promise<void>) => Promise<void>,
  logic: (ctx: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: unknown;
  await start(async (ctx) => {
    // A proactive message answers nothing: without this it would name the adapter's internal
    // continue event as the activity it replies to, which no channel has ever seen.
    ctx.onSendActivities(async (_ctx, activities, next) => {
      for (const a of activities) delete a.replyToId;
      return next();
    });
    try {
      await logic(ctx);
    } catch (err) {
      failure = err;
    }
  });
  if (failure) throw failure;
}
