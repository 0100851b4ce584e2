import { randomUUID } from 'node:crypto';
import { MessageFactory, type Attachment, type TurnContext } from '../bot/framework';
import { withDeadline } from '../bot/connectorRetry';
import type { CardCopies } from '../bot/cardCopies';
import type { NameBook, PeopleDirectory } from '../bot/peopleDirectory';
import type { LanguagePreference } from '../bot/turnLanguage';
import type { ApplicationCards } from '../cards/applicationCards';
import { actionOutcome, renderFor } from '../cards/cardBuilder';
import type { DecisionSheet } from '../cards/termsText';
import { lines, trusted, type Catalogue, type Wording, type WordKey } from '../i18n/catalogue';
import { SYSTEM_ACTOR, type RoleDirectory } from '../roles';
import type { ApplicationView } from '../workflow/schemas';
import type { WorkflowClient } from '../workflow/workflowClient';
import type { ContactPreferences } from './contactPreferences';
import type { DeliveryLog } from './deliveryLog';
import type { EmailChannel, EmailReport } from './emailChannel';
import type { EmailProblem } from './emailDeliveries';
import type { EventClaims } from './eventClaims';
import messages from './messages.json';
import type { NotifyEvent } from './notifyEvent';
import type { ProactiveSender, SendOutcome } from './proactiveSender';

type Audience = 'partner' | 'bd' | 'support';
interface MessageSpec {
  card?: 'staff' | 'terms';
}
/** A message: who hears it (messages.json) and its words (notify.<key>.<audience> in the catalogue). */
interface Message extends MessageSpec {
  key: WordKey;
}
const TABLE = messages as unknown as Record<string, Partial<Record<Audience, MessageSpec>>>;

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
  /** What the e-mail channel did for this event (none when it is off). */
  email?: EmailReport;
}

/**
 * Turns one state change into messages for the people concerned (messages.json says who
 * hears what), each in the recipient's own language, sends them once each, and brings the
 * cards already sent for the application up to date in place. Exactly once: the event is
 * claimed in the SQL store before anything is sent (a second copy in flight waits for the
 * first, then hears "duplicate"), and so is each person's delivery, finished the moment the
 * channel answers.
 */
export interface NotifierDeps {
  workflow: WorkflowClient;
  cards: ApplicationCards;
  catalogue: Catalogue;
  /** Each recipient's language, read in their proactive turn (their user state, else their last locale). */
  languages: Pick<LanguagePreference, 'resolve'>;
  roles: RoleDirectory;
  sender: ProactiveSender;
  deliveries: DeliveryLog;
  events: EventClaims;
  options?: NotifierOptions;
  /** Names people are called by in messages and on cards. */
  people: PeopleDirectory;
  /** Cards sent in chat turns: once the application moves on, each copy becomes its read-only summary. */
  copies: CardCopies;
  /** The partner was told of this change (their "since we last spoke" starts after it). */
  onPartnerTold?: (ctx: TurnContext, app: ApplicationView) => Promise<void>;
  /** The e-mail channel (SMTP_URL, or kept on a development instance); none: chat only. */
  email?: EmailChannel;
  /** Each partner's choice of e-mail, chat or both. */
  preferences?: Pick<ContactPreferences, 'get'>;
}

export class Notifier {
  private readonly sender: ProactiveSender;
  private readonly deliveries: DeliveryLog;
  private readonly options: NotifierOptions;

  constructor(private readonly deps: NotifierDeps) {
    this.sender = deps.sender;
    this.deliveries = deps.deliveries;
    this.options = deps.options ?? DEFAULT_NOTIFIER_OPTIONS;
  }

  /** Handles one event once; DuplicateEvent when it was handled, RetryLater when it must come again. */
  async handle(event: NotifyEvent): Promise<NotifyReport> {
    const owner = randomUUID();
    await this.claimEvent(event.eventId, owner);
    // Claims lapse only when their holder is gone: a live one renews them while it works.
    const renew = setInterval(
      () => {
        void this.deps.events.renew(event.eventId, owner, this.options.leaseMs).catch(() => undefined);
        void this.deliveries.renew(event.eventId, owner, this.options.leaseMs).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    renew.unref();
    try {
      const report = await withDeadline(Date.now() + this.options.budgetMs, () =>
        this.deliverEvent(event, owner),
      );
      await this.deps.events.done(event.eventId, owner);
      return report;
    } catch (err) {
      await this.deps.events.release(event.eventId, owner).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renew);
    }
  }

  /** Takes the event, or waits (briefly) for the request that holds it. */
  private async claimEvent(eventId: string, owner: string): Promise<void> {
    const waitUntil = Date.now() + this.options.waitMs;
    for (;;) {
      const claim = await this.deps.events.claim(eventId, owner, this.options.leaseMs);
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

  private async deliverEvent(event: NotifyEvent, owner: string): Promise<NotifyReport> {
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
    const people = await this.deps.people.book([event.actor, app.bdUserId, app.partnerUserId]);
    // A rejection that closed the application for good is said as such.
    const variants = [app.closed ? `${event.type}@closed` : '', `${event.type}@${event.from}`];
    const key = variants.find((v) => v && TABLE[v]) ?? event.type;
    const spec = TABLE[key] ?? {};
    const cardHolders = await this.deliveries.cardsFor(app.id);
    // E-mail goes beside chat (emails.json); a partner who chose "e-mail only" is not also told in chat what they are e-mailed.
    const email = this.deps.email;
    const mailed = email?.forEvent(key, event, app, owner, this.options.leaseMs).then(
      (r) => ({ ok: true as const, r }),
      (err: Error) => ({ ok: false as const, err }),
    );
    const emailOnly =
      Boolean(email?.mailsPartner(key, app)) &&
      (await this.deps.preferences?.get(app.partnerUserId)) === 'email';
    let problems = (await email?.problems(app.id)) ?? [];

    const sends: Promise<void>[] = [];
    const carded = new Set<string>();
    const retries: number[] = [];
    for (const [audience, what] of Object.entries(spec) as [Audience, MessageSpec][]) {
      const message: Message = { ...what, key: `notify.${key}.${audience}` as WordKey };
      for (const userId of this.recipients(audience, app)) {
        // The person who acted was answered in their own turn; their cards are still updated below.
        if (userId === event.actor || (audience === 'partner' && emailOnly)) {
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
            const o = await this.deliver(userId, message, app, event, cardHolders, people, problems);
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
    const mail = await mailed;
    if (mail && !mail.ok) throw new RetryLater(`e-mail channel: ${mail.err.message}`);
    if (mail?.ok) {
      report.email = mail.r;
      retries.push(...mail.r.retry);
      // An e-mail failed for good: the staff cards this event sent show it (the lookup and the queue always do).
      if (mail.r.failed.length) {
        problems = await email!.problems(app.id);
        report.cardsUpdated += await this.showMailProblems(app, event, people, problems);
      }
    }

    // Everyone else holding a card for this application sees it as it now stands: what was
    // decided, by whom and when, without buttons (their next step, if any, comes as its own card).
    const updates = cardHolders
      .filter((held) => !carded.has(held.user_id))
      .map((held) =>
        this.sender.inConversation(held.user_id, held.conversation_id, async (ctx) => {
          const w = await this.words(ctx);
          const outcome = this.outcomeLine(event, w, people);
          await ctx.updateActivity({
            id: held.activity_id,
            type: 'message',
            attachments: [this.deps.cards.retired('staff', app, renderFor(ctx, w), outcome, people)],
          });
        }),
      );
    report.cardsUpdated += (await Promise.all(updates)).filter(Boolean).length;
    report.cardsUpdated += await this.retireCopies(app, event, people);

    if (retries.length) {
      throw new RetryLater(
        `${retries.length} recipient(s) not reached yet`,
        Math.max(...retries) || undefined,
      );
    }
    return report;
  }

  /**
   * Every card sent in a chat turn for an older version of the application, once its status
   * changed, becomes its read-only summary with what happened, by whom and when (a saved draft
   * changes no status: the form stays). Returns how many were replaced.
   */
  private async retireCopies(app: ApplicationView, event: NotifyEvent, people: NameBook): Promise<number> {
    if (event.from === event.to) return 0;
    const copies = await this.deps.copies.olderThan(app.id, app.version);
    const done = await Promise.all(
      copies.map(async (copy) => {
        if (copy.kind === 'handover') return false;
        const updated = await this.sender.inConversation(copy.userId, copy.conversationId, async (ctx) => {
          const w = await this.words(ctx);
          const outcome = this.outcomeLine(event, w, people);
          const card = this.deps.cards.retired(
            copy.kind as 'staff' | 'partner',
            app,
            renderFor(ctx, w),
            outcome,
            people,
          );
          await ctx.updateActivity({ id: copy.activityId, type: 'message', attachments: [card] });
        });
        await this.deps.copies.forget(copy.conversationId, copy.activityId);
        return updated;
      }),
    );
    return done.filter(Boolean).length;
  }

  /**
   * One person's message, in their newest conversation. A card they already hold is updated,
   * not sent again; if this very event posted it (an earlier attempt that died before its
   * delivery was recorded), updating it is all there is left to do.
   */
  private deliver(
    userId: string,
    message: Message,
    app: ApplicationView,
    event: NotifyEvent,
    cardHolders: CardRow[],
    people: NameBook,
    problems: EmailProblem[],
  ): Promise<SendOutcome> {
    return this.sender.send(userId, async (ctx, where) => {
      const w = await this.words(ctx);
      const text = this.fill(message.key, w, app, event, people);
      const card = message.card
        ? await this.card(message.card, ctx, w, app, event, people, problems)
        : undefined;
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
      if (card && message.card === 'terms' && sent?.id) {
        await this.deps.copies.record({
          conversationId: where.conversationId,
          activityId: sent.id,
          subjectId: app.id,
          userId,
          kind: 'partner',
          version: app.version,
        });
      }
      if (userId === app.partnerUserId) await this.deps.onPartnerTold?.(ctx, app);
    });
  }

  /** The staff cards posted for this event, updated in place to show the e-mails that failed; returns how many. */
  private async showMailProblems(
    app: ApplicationView,
    event: NotifyEvent,
    people: NameBook,
    problems: EmailProblem[],
  ): Promise<number> {
    const posted = (await this.deliveries.cardsFor(app.id)).filter((c) => c.event_id === event.eventId);
    const updated = await Promise.all(
      posted.map((held) =>
        this.sender.inConversation(held.user_id, held.conversation_id, async (ctx) => {
          const w = await this.words(ctx);
          const outcome = this.outcomeLine(event, w, people);
          const card = this.deps.cards.bd(app, renderFor(ctx, w), outcome, people, problems);
          await ctx.updateActivity({ id: held.activity_id, type: 'message', attachments: [card] });
        }),
      ),
    );
    return updated.filter(Boolean).length;
  }

  /** Who an audience is for this application: its partner, its BD (every BD until one took it), support and admins. */
  private recipients(audience: Audience, app: ApplicationView): string[] {
    if (audience === 'partner') return [app.partnerUserId];
    if (audience === 'bd') return app.bdUserId ? [app.bdUserId] : this.deps.roles.usersWith('bd');
    return this.deps.roles.staff();
  }

  /** The recipient's wording, in this proactive turn (their conversation, as its reference knows them). */
  private async words(ctx: TurnContext): Promise<Wording> {
    return this.deps.catalogue.in(await this.deps.languages.resolve(ctx));
  }

  private async card(
    kind: 'staff' | 'terms',
    ctx: TurnContext,
    w: Wording,
    app: ApplicationView,
    event: NotifyEvent,
    people: NameBook,
    problems: EmailProblem[] = [],
  ): Promise<Attachment> {
    const render = renderFor(ctx, w);
    return kind === 'terms'
      ? this.deps.cards.terms(app, render, await this.previousSheet(app))
      : this.deps.cards.bd(app, render, this.outcomeLine(event, w, people), people, problems);
  }

  /** The decision sheet before a correction, so the corrected one shows what changed. */
  private async previousSheet(app: ApplicationView): Promise<DecisionSheet | undefined> {
    const r = await this.deps.workflow.history(SYSTEM_ACTOR, app.id);
    if (!r.ok) return undefined;
    const sheets = r.value.filter((h) => h.action === 'fill-decision-sheet');
    return sheets.length > 1 ? (sheets.at(-2)!.payload as unknown as DecisionSheet) : undefined;
  }

  /** What a card says happened: people by name (a card is a record everyone reads alike, never "you"). */
  private outcomeLine(event: NotifyEvent, w: Wording, people: NameBook): string {
    return actionOutcome(event.type, people.label(event.actor, w), event.occurredAt, w);
  }

  private fill(key: WordKey, w: Wording, app: ApplicationView, event: NotifyEvent, people: NameBook): string {
    return w.t(key, {
      company: app.companyName ?? trusted(w.t('notify.company')),
      due: app.dueDate ? w.date(app.dueDate) : trusted(w.t('notify.deadline')),
      actor: people.label(event.actor, w),
      note: lines(app.note ?? ''),
      expires: app.invitationExpiresAt ? w.date(app.invitationExpiresAt) : trusted(w.t('notify.expiry')),
    });
  }
}
