import { randomUUID } from 'node:crypto';
import { MessageFactory, type Attachment, type TurnContext } from 'botbuilder';
import { bdCard, termsCard } from '../bot/applicationCards';
import type { BotServices } from '../bot/botServices';
import actionForms from '../bot/cards/actionForms.json';
import { SYSTEM_ACTOR } from '../roles';
import type { ApplicationView } from '../workflow/schemas';
import { withDeadline } from '../bot/connectorRetry';
import type { DeliveryLog } from './deliveryLog';
import type { EventClaims } from './eventClaims';
import messages from './messages.json';
import type { NotifyEvent } from './notifyEvent';
import type { ProactiveSender, SendOutcome } from './proactiveSender';

type Audience = 'partner' | 'bd' | 'support';
interface MessageSpec {
  text: string;
  card?: 'staff' | 'terms';
}
const TABLE = messages as unknown as Record<string, Partial<Record<Audience, MessageSpec>>>;
const forms = actionForms as Record<string, { done?: string }>;

/** The event could not reach everyone yet; the dispatcher should send it again later. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly code = 'retry_later',
  ) {
    super(message);
  }
}

/** The event was handled already (by this copy's twin, or long ago). */
export class DuplicateEvent extends Error {}

export interface NotifierOptions {
  /** How long a claim on an event or a delivery holds before another request may take it over. */
  leaseMs: number;
  /**
   * The time one event may take, waits for a throttling channel included; shorter than the
   * dispatcher's webhook timeout (10 s) so the webhook always answers before it gives up.
   */
  budgetMs: number;
  /** How long a copy of an event another request is handling waits for it to finish. */
  waitMs: number;
}

export const DEFAULT_NOTIFIER_OPTIONS: NotifierOptions = { leaseMs: 30_000, budgetMs: 6000, waitMs: 2500 };

type CardRow = { user_id: string; conversation_id: string; activity_id: string; event_id: string | null };

export interface NotifyReport {
  eventId: string;
  sent: string[];
  skipped: string[];
  unreachable: string[];
  dead: string[];
  cardsUpdated: number;
}

/**
 * Turns one state change into messages for the people concerned (messages.json says who
 * hears what), sends them once each, and brings the cards already sent for the application
 * up to date in place. Exactly once: the event is claimed in the SQL store before anything
 * is sent (a second copy in flight waits for the first, then hears "duplicate"), and so is
 * each person's delivery, finished the moment the channel answers.
 */
export class Notifier {
  constructor(
    private readonly services: BotServices,
    private readonly sender: ProactiveSender,
    private readonly deliveries: DeliveryLog,
    private readonly events: EventClaims,
    private readonly options: NotifierOptions = DEFAULT_NOTIFIER_OPTIONS,
  ) {}

  /** Handles one event once; DuplicateEvent when it was handled, RetryLater when it must come again. */
  async handle(event: NotifyEvent): Promise<NotifyReport> {
    const owner = randomUUID();
    await this.claimEvent(event.eventId, owner);
    try {
      const report = await withDeadline(Date.now() + this.options.budgetMs, () => this.deliver(event, owner));
      await this.events.done(event.eventId, owner);
      return report;
    } catch (err) {
      await this.events.release(event.eventId, owner).catch(() => undefined);
      throw err;
    }
  }

  /** Takes the event, or waits (briefly) for the request that holds it. */
  private async claimEvent(eventId: string, owner: string): Promise<void> {
    const waitUntil = Date.now() + this.options.waitMs;
    for (;;) {
      const claim = await this.events.claim(eventId, owner, this.options.leaseMs);
      if (claim.kind === 'mine') return;
      if (claim.kind === 'done') throw new DuplicateEvent(`event ${eventId} was already handled`);
      if (Date.now() >= waitUntil) {
        throw new RetryLater(
          `event ${eventId} is being handled by another request`,
          Math.max(1000, claim.untilMs - Date.now()),
          'event_in_progress',
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async deliver(event: NotifyEvent, owner: string): Promise<NotifyReport> {
    const r = await this.services.workflow.get(SYSTEM_ACTOR, event.applicationId);
    const report: NotifyReport = {
      eventId: event.eventId,
      sent: [],
      skipped: [],
      unreachable: [],
      dead: [],
      cardsUpdated: 0,
    };
    if (!r.ok) {
      if (r.error.kind === 'http' && r.error.status === 404) return report;
      throw new RetryLater(`workflow unavailable: ${r.error.kind}`);
    }
    const app = r.value;
    const spec = TABLE[`${event.type}@${event.from}`] ?? TABLE[event.type] ?? {};
    const cardHolders = await this.deliveries.cardsFor(app.id);
    const outcome = this.outcomeLine(event);

    const sends: Promise<void>[] = [];
    const carded = new Set<string>();
    const retries: number[] = [];
    for (const [audience, message] of Object.entries(spec) as [Audience, MessageSpec][]) {
      for (const userId of this.recipients(audience, app)) {
        // The person who acted was answered in their own turn; their cards are still updated below.
        if (userId === event.actor) {
          report.skipped.push(userId);
          continue;
        }
        if (message.card === 'staff') carded.add(userId);
        sends.push(
          (async () => {
            const claim = await this.deliveries.claim(event.eventId, userId, owner, this.options.leaseMs);
            if (claim.kind !== 'mine') {
              report.skipped.push(userId);
              carded.delete(userId);
              if (claim.kind === 'busy') retries.push(Math.max(1000, claim.untilMs - Date.now()));
              return;
            }
            const o = await this.deliverTo(userId, message, app, event, outcome, cardHolders);
            if (o.status === 'retry') {
              await this.deliveries.release(event.eventId, userId, owner);
              retries.push(o.retryAfterMs ?? 0);
              return;
            }
            // Recorded the moment the channel answered: the window for a resend is this one write.
            await this.deliveries.finish(
              event.eventId,
              userId,
              owner,
              o.status,
              'detail' in o ? o.detail : undefined,
            );
            report[o.status].push(userId);
          })(),
        );
      }
    }
    await Promise.all(sends);

    // Everyone else holding a card for this application sees it as it now stands.
    const updates = cardHolders
      .filter((held) => !carded.has(held.user_id))
      .map((held) =>
        this.sender.inConversation(held.user_id, held.conversation_id, async (ctx) => {
          await ctx.updateActivity({
            id: held.activity_id,
            type: 'message',
            attachments: [bdCard(this.services, ctx, app, outcome)],
          });
        }),
      );
    report.cardsUpdated = (await Promise.all(updates)).filter(Boolean).length;

    if (retries.length) {
      throw new RetryLater(
        `${retries.length} recipient(s) not reached yet`,
        Math.max(...retries) || undefined,
      );
    }
    return report;
  }

  /**
   * One person's message, in their newest conversation. A card they already hold is updated,
   * not sent again; if this very event posted it (an earlier attempt that died before its
   * delivery was recorded), updating it is all there is left to do.
   */
  private deliverTo(
    userId: string,
    message: MessageSpec,
    app: ApplicationView,
    event: NotifyEvent,
    outcome: string,
    cardHolders: CardRow[],
  ): Promise<SendOutcome> {
    return this.sender.send(userId, async (ctx, where) => {
      const text = this.fill(message.text, app, event);
      const card = message.card ? this.card(message.card, ctx, app, outcome) : undefined;
      const held = cardHolders.find(
        (c) => c.user_id === userId && c.conversation_id === where.conversationId,
      );
      if (card && held && message.card === 'staff') {
        const ours = held.event_id === event.eventId;
        await ctx.updateActivity({
          id: held.activity_id,
          type: 'message',
          ...(ours ? { text } : {}),
          attachments: [card],
        });
        if (ours) return;
        await ctx.sendActivity(text);
        await this.deliveries.saveCard(app.id, userId, where.conversationId, held.activity_id, event.eventId);
        return;
      }
      const sent = await ctx.sendActivity(card ? { ...MessageFactory.attachment(card), text } : text);
      if (card && message.card === 'staff' && sent?.id) {
        await this.deliveries.saveCard(app.id, userId, where.conversationId, sent.id, event.eventId);
      }
    });
  }

  /** Who an audience is for this application: its partner, its BD (every BD until one took it), support and admins. */
  private recipients(audience: Audience, app: ApplicationView): string[] {
    if (audience === 'partner') return [app.partnerUserId];
    if (audience === 'bd') return app.bdUserId ? [app.bdUserId] : this.services.roles.usersWith('bd');
    return [
      ...new Set([...this.services.roles.usersWith('support'), ...this.services.roles.usersWith('admin')]),
    ];
  }

  private card(kind: 'staff' | 'terms', ctx: TurnContext, app: ApplicationView, outcome: string): Attachment {
    return kind === 'terms' ? termsCard(this.services, ctx, app) : bdCard(this.services, ctx, app, outcome);
  }

  private outcomeLine(event: NotifyEvent): string {
    const done = forms[event.type]?.done ?? event.type;
    return `${done.charAt(0).toUpperCase()}${done.slice(1)} by ${event.actor} on ${this.services.dates.date(event.occurredAt)}`;
  }

  private fill(template: string, app: ApplicationView, event: NotifyEvent): string {
    const d = this.services.dates;
    const values: Record<string, string> = {
      company: app.companyName ?? 'The partner',
      due: app.dueDate ? d.date(app.dueDate) : 'the deadline',
      actor: event.actor,
      note: app.note ?? '',
      expires: app.invitationExpiresAt ? d.date(app.invitationExpiresAt) : 'its expiry date',
    };
    return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  }
}
