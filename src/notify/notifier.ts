import { MessageFactory, type Attachment, type TurnContext } from '../bot/framework';
import { md } from '../escape';
import type { ApplicationCards } from '../cards/applicationCards';
import { renderFor } from '../cards/cardBuilder';
import actionForms from '../cards/actionForms.json';
import type { DateFormatter } from '../dates';
import { SYSTEM_ACTOR, type RoleDirectory } from '../roles';
import type { ApplicationView } from '../workflow/schemas';
import type { WorkflowClient } from '../workflow/workflowClient';
import type { DeliveryLog } from './deliveryLog';
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
  ) {
    super(message);
  }
}

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
 * hears what), sends them once each (delivery records survive retries), and brings the
 * cards already sent for the application up to date in place.
 */
export interface NotifierDeps {
  workflow: WorkflowClient;
  cards: ApplicationCards;
  dates: DateFormatter;
  roles: RoleDirectory;
  sender: ProactiveSender;
  deliveries: DeliveryLog;
}

export class Notifier {
  private readonly sender: ProactiveSender;
  private readonly deliveries: DeliveryLog;

  constructor(private readonly deps: NotifierDeps) {
    this.sender = deps.sender;
    this.deliveries = deps.deliveries;
  }

  async handle(event: NotifyEvent): Promise<NotifyReport> {
    const r = await this.deps.workflow.get(SYSTEM_ACTOR, event.applicationId);
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
    const done = await this.deliveries.done(event.eventId);
    const cardHolders = await this.deliveries.cardsFor(app.id);
    const outcome = this.outcomeLine(event);

    const sends: { userId: string; outcome: Promise<SendOutcome> }[] = [];
    const carded = new Set<string>();
    for (const [audience, message] of Object.entries(spec) as [Audience, MessageSpec][]) {
      for (const userId of this.recipients(audience, app)) {
        // The person who acted was answered in their own turn; their cards are still updated below.
        if (userId === event.actor || done.has(userId)) {
          report.skipped.push(userId);
          continue;
        }
        if (message.card === 'staff') carded.add(userId);
        sends.push({ userId, outcome: this.deliver(userId, message, app, event, outcome, cardHolders) });
      }
    }
    const retries: number[] = [];
    for (const { userId, outcome } of sends) {
      const o = await outcome;
      if (o.status === 'retry') {
        retries.push(o.retryAfterMs ?? 0);
        continue;
      }
      await this.deliveries.record(event.eventId, userId, o.status, 'detail' in o ? o.detail : undefined);
      report[o.status].push(userId);
    }

    // Everyone else holding a card for this application sees it as it now stands.
    for (const held of cardHolders) {
      if (carded.has(held.user_id) && !done.has(held.user_id)) continue;
      const updated = await this.sender.inConversation(held.user_id, held.conversation_id, async (ctx) => {
        await ctx.updateActivity({
          id: held.activity_id,
          type: 'message',
          attachments: [this.deps.cards.bd(app, renderFor(ctx), outcome)],
        });
      });
      if (updated) report.cardsUpdated++;
    }

    if (retries.length) {
      throw new RetryLater(
        `${retries.length} recipient(s) not reached yet`,
        Math.max(...retries) || undefined,
      );
    }
    return report;
  }

  /** One person's message, in their newest conversation; a card they already hold is updated, not sent again. */
  private deliver(
    userId: string,
    message: MessageSpec,
    app: ApplicationView,
    event: NotifyEvent,
    outcome: string,
    cardHolders: { user_id: string; conversation_id: string; activity_id: string }[],
  ): Promise<SendOutcome> {
    return this.sender.send(userId, async (ctx, where) => {
      const text = this.fill(message.text, app, event);
      const card = message.card ? this.card(message.card, ctx, app, outcome) : undefined;
      const held = cardHolders.find(
        (c) => c.user_id === userId && c.conversation_id === where.conversationId,
      );
      if (card && held && message.card === 'staff') {
        await ctx.updateActivity({ id: held.activity_id, type: 'message', attachments: [card] });
        await ctx.sendActivity(text);
        return;
      }
      const sent = await ctx.sendActivity(card ? { ...MessageFactory.attachment(card), text } : text);
      if (card && message.card === 'staff' && sent?.id) {
        await this.deliveries.saveCard(app.id, userId, where.conversationId, sent.id);
      }
    });
  }

  /** Who an audience is for this application: its partner, its BD (every BD until one took it), support and admins. */
  private recipients(audience: Audience, app: ApplicationView): string[] {
    if (audience === 'partner') return [app.partnerUserId];
    if (audience === 'bd') return app.bdUserId ? [app.bdUserId] : this.deps.roles.usersWith('bd');
    return this.deps.roles.staff();
  }

  private card(kind: 'staff' | 'terms', ctx: TurnContext, app: ApplicationView, outcome: string): Attachment {
    const render = renderFor(ctx);
    return kind === 'terms' ? this.deps.cards.terms(app, render) : this.deps.cards.bd(app, render, outcome);
  }

  private outcomeLine(event: NotifyEvent): string {
    const done = forms[event.type]?.done ?? event.type;
    return `${done.charAt(0).toUpperCase()}${done.slice(1)} by ${event.actor} on ${this.deps.dates.date(event.occurredAt)}`;
  }

  private fill(template: string, app: ApplicationView, event: NotifyEvent): string {
    const d = this.deps.dates;
    const values: Record<string, string> = {
      company: app.companyName ? md(app.companyName) : 'The partner',
      due: app.dueDate ? d.date(app.dueDate) : 'the deadline',
      actor: md(event.actor),
      note: md(app.note ?? '', { multiline: true }),
      expires: app.invitationExpiresAt ? d.date(app.invitationExpiresAt) : 'its expiry date',
    };
    return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  }
}
