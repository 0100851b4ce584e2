import {
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { lines } from '../src/i18n/catalogue';
import { VERBS } from '../src/cards/verbs';
import type { Ticket } from '../src/notify/supportHandover';
import type { ApplicationView } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import type { CardTable, CardTurn } from './helpers/cardActions';
import { answerQuestion } from './faqReply';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';
import { worded, WordedTextPrompt } from './helpers/wordedPrompts';
import { mailProblemsOf } from './helpers/mailProblems';

const QUERY = 'support.query';
const ANSWER = 'support.answerPrompt';
const FLOW = 'support.flow';
const ANSWER_FLOW = 'support.answerFlow';

/** The answer prompt's options: which ticket is being answered. */
interface DeskOptions {
  ticketId?: string;
}

export type DeskCommand = 'claim' | 'reply' | 'resolve';

/** What the support dialog is started with, beyond a lookup. */
export interface SupportOptions extends StepOptions {
  /** A typed desk command: "reply 12 Yes, you can" is reply with "12 Yes, you can". */
  desk?: { command: DeskCommand; arg?: string };
  /** A ticket just taken from its card: the next thing typed answers it. */
  answerTicket?: string;
  /** Show the desk: open tickets and unanswered questions. */
  tickets?: boolean;
}

const COMPLETE: DialogTurnResult = { status: DialogTurnStatus.complete };

/**
 * Support staff (and BDs looking something up): any application by company name or id, with
 * status, deadline, terms and history in people's words; the desk of open tickets and unanswered
 * questions, oldest first, to take, answer (on the card or by typing) and resolve.
 */
export class SupportDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.support, services);
    this.addDialog(
      new WordedTextPrompt(
        QUERY,
        services.catalogue,
        async (p) => p.recognized.succeeded && (p.recognized.value ?? '').trim().length >= 2,
      ),
    );
    this.addDialog(
      new WordedTextPrompt(
        ANSWER,
        services.catalogue,
        async (p) => (p.recognized.value ?? '').trim().length > 0,
      ),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.ask.bind(this), this.lookup.bind(this)]));
    this.addDialog(new WaterfallDialog(ANSWER_FLOW, [this.askAnswer.bind(this), this.sendAnswer.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [VERBS.handoverAnswer]: (t) => this.answerFromCard(t),
      [VERBS.handoverClaim]: async (t) => {
        const id = await this.claim(t.ctx, String(t.card.handoverId));
        if (id) return t.dc.beginDialog(this.id, { answerTicket: id } satisfies SupportOptions);
      },
      [VERBS.handoverResolve]: (t) => this.resolve(t.ctx, String(t.card.handoverId), t),
      [VERBS.tickets]: (t) => this.tickets(t.ctx),
      [VERBS.faqResolve]: (t) => this.resolveQuestion(t),
    };
  }

  /** Desk commands, a ticket to answer and the desk itself start here; everything else is a lookup. */
  protected override async onBeginDialog(
    inner: DialogContext,
    options?: SupportOptions,
  ): Promise<DialogTurnResult> {
    const ctx = inner.context;
    if (options?.tickets) {
      await this.tickets(ctx);
      return COMPLETE;
    }
    if (options?.answerTicket) return inner.beginDialog(ANSWER_FLOW, { ticketId: options.answerTicket });
    if (options?.desk) {
      const ticketId = await this.desk(ctx, options.desk.command, options.desk.arg);
      return ticketId ? inner.beginDialog(ANSWER_FLOW, { ticketId }) : COMPLETE;
    }
    return super.onBeginDialog(inner, options);
  }

  private async ask(step: WaterfallStepContext) {
    const { query } = step.options as StepOptions;
    if (query) return step.next(query);
    return step.prompt(QUERY, worded('support.which.prompt', 'support.which.retry'));
  }

  private async lookup(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const query = String(step.result).trim();
    const ctx = step.context;
    const found = await this.find(ctx, query);
    if (!found.length) {
      // Support's words that match no application are a question, typo or no "?" ("waht is acpn").
      if (options.orQuestion) await answerQuestion(this.services, ctx, query);
      else await ctx.sendActivity(this.words(ctx).t('support.noMatch', { query }));
      return step.endDialog();
    }
    for (const app of found) await this.showApplication(ctx, app);
    return step.endDialog();
  }

  /** Applications matching a company name (part of it) or an id. */
  async find(ctx: TurnContext, query: string): Promise<ApplicationView[]> {
    const user = this.user(ctx);
    const byId = await this.services.workflow.get(user.userId, query);
    if (byId.ok) return [byId.value];
    const r = await this.services.workflow.list(user.userId, { q: query, limit: 5 });
    return r.ok ? r.value : [];
  }

  /** The application as staff see it, its history in people's words; a BD also gets the buttons it waits for. */
  private async showApplication(ctx: TurnContext, app: ApplicationView): Promise<void> {
    const user = this.user(ctx);
    const history = await this.services.workflow.history(user.userId, app.id);
    const entries = history.ok ? history.value : [];
    const people = await this.services.people.book([app.bdUserId, ...entries.map((h) => h.actor)]);
    const bd = user.role === 'bd' || user.role === 'admin';
    const card = this.services.cards.staff(app, this.render(ctx), {
      withButtons: bd,
      history: entries,
      people,
      mailProblems: await mailProblemsOf(this.services, app.id),
    });
    await this.post.send(ctx, card, bd ? { about: { app, kind: 'staff' } } : {});
  }

  /** The desk: open tickets and unanswered questions, oldest first, each with what can be done. */
  async tickets(ctx: TurnContext): Promise<void> {
    const w = this.words(ctx);
    const open = await this.services.handover.openTickets();
    const people = await this.services.people.book(open.flatMap((t) => [t.userId, t.claimedBy]));
    const ticketItems = open.map((t) => ({
      text: w.t(t.claimedBy ? 'support.desk.ticketTaken' : 'support.desk.ticket', {
        ticket: t.number,
        who: people.label(t.userId, w),
        date: w.date(t.createdAt),
        question: t.question,
        taker: people.label(t.claimedBy, w, this.user(ctx).userId),
      }),
      buttons: [
        ...(t.claimedBy
          ? []
          : [
              {
                label: w.plain('handover.card.claim'),
                data: { verb: VERBS.handoverClaim, handoverId: t.id },
              },
            ]),
        { label: w.plain('handover.card.resolve'), data: { verb: VERBS.handoverResolve, handoverId: t.id } },
      ],
    }));
    const questions = groupQuestions((await this.services.faq.openQuestions?.(50)) ?? []).slice(0, 20);
    const askers = await this.services.people.book(questions.map((q) => q.userId));
    const questionItems = questions.map((q) => ({
      text: w.t(q.ids.length > 1 ? 'support.desk.questionRepeated' : 'support.desk.question', {
        who: askers.label(q.userId, w),
        date: w.date(q.createdAt),
        question: q.question,
        n: q.ids.length,
      }),
      buttons: [
        {
          label: w.plain('support.desk.markHandled'),
          data: { verb: VERBS.faqResolve, questionIds: q.ids },
        },
      ],
    }));
    const b = this.services.cards.builder;
    await ctx.sendActivity({
      type: 'message',
      text: w.t('support.desk.howTo'),
      attachments: [
        b.list(
          w.t('support.desk.ticketsHeading', { n: open.length }),
          ticketItems,
          w.t('support.desk.noTickets'),
        ),
        b.list(
          w.t('support.desk.questionsHeading', { n: questions.length }),
          questionItems,
          w.t('support.desk.noQuestions'),
        ),
      ],
    });
  }

  /**
   * `claim 12`, `reply 12 …`, `reply …` (the latest open ticket), `resolve 12`. Returns the ticket
   * whose answer is to be typed next, when there is one.
   */
  private async desk(ctx: TurnContext, command: DeskCommand, arg = ''): Promise<string | undefined> {
    const w = this.words(ctx);
    const m = /^#?\s*(\d+)\b\s*[:：,，-]?\s*([\s\S]*)$/.exec(arg.trim());
    const number = m ? Number(m[1]) : undefined;
    const rest = (m ? m[2] : arg).trim();
    const ticket =
      number !== undefined
        ? await this.services.handover.ticket(number)
        : command === 'reply'
          ? await this.services.handover.latestFor(this.user(ctx).userId)
          : undefined;
    if (!ticket) {
      await ctx.sendActivity(
        number !== undefined
          ? w.t('support.desk.noSuchTicket', { ticket: number })
          : w.t('support.desk.whichTicket'),
      );
      return undefined;
    }
    if (command === 'resolve') {
      await this.resolve(ctx, ticket.id);
      return undefined;
    }
    if (command === 'claim') return this.claim(ctx, ticket.id);
    if (!rest)
      return ticket.status === 'open'
        ? ticket.id
        : void (await ctx.sendActivity(await this.refusal(ctx, { reason: 'closed', ticket })));
    await this.answer(ctx, ticket, rest);
    return undefined;
  }

  /** Takes a ticket; returns its id when the next thing typed is to answer it. */
  private async claim(ctx: TurnContext, id: string): Promise<string | undefined> {
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (!this.isDesk(user.role)) return void (await ctx.sendActivity(w.t('handover.onlySupport')));
    const r = await this.services.handover.claim(id, user.userId);
    if (!r.ok) return void (await ctx.sendActivity(await this.refusal(ctx, r)));
    return r.ticket.id;
  }

  private async resolve(ctx: TurnContext, id: string, turn?: CardTurn) {
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (!this.isDesk(user.role)) return void (await ctx.sendActivity(w.t('handover.onlySupport')));
    const r = await this.services.handover.resolve(id, user.userId);
    if (!r.ok) return void (await ctx.sendActivity(await this.refusal(ctx, r)));
    if (turn)
      await this.post.replace(ctx, turn.cardActivityId, await this.services.handover.card(r.ticket, w));
    await ctx.sendActivity(w.t('support.desk.resolved', { ticket: r.ticket.number }));
  }

  private async answerFromCard(turn: CardTurn) {
    const { ctx, user, card } = turn;
    const w = this.words(ctx);
    if (!this.isDesk(user.role)) return void (await ctx.sendActivity(w.t('handover.onlySupport')));
    const answer = typeof card.answer === 'string' ? card.answer.trim() : '';
    if (!answer) return void (await ctx.sendActivity(w.t('handover.typeAnswer')));
    const ticket = await this.services.handover.ticket(String(card.handoverId ?? ''));
    if (!ticket) return void (await ctx.sendActivity(w.t('handover.closed')));
    await this.answer(ctx, ticket, answer, turn);
  }

  private async answer(ctx: TurnContext, ticket: Ticket, text: string, turn?: CardTurn) {
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (!this.isDesk(user.role)) return void (await ctx.sendActivity(w.t('handover.onlySupport')));
    const r = await this.services.handover.answer(ticket.id, user.userId, text);
    if (!r.ok) return void (await ctx.sendActivity(await this.refusal(ctx, r)));
    if (turn)
      await this.post.replace(ctx, turn.cardActivityId, await this.services.handover.card(r.ticket, w));
    const people = await this.services.people.book([r.ticket.userId]);
    await ctx.sendActivity(
      w.t(r.reached ? 'handover.sent' : 'handover.savedUnreached', {
        ticket: r.ticket.number,
        who: people.label(r.ticket.userId, w),
      }),
    );
  }

  private async askAnswer(step: WaterfallStepContext) {
    const { ticketId } = step.options as DeskOptions;
    const ticket = ticketId ? await this.services.handover.ticket(ticketId) : undefined;
    if (!ticket || ticket.status !== 'open') {
      await step.context.sendActivity(this.words(step.context).t('handover.closed'));
      return step.endDialog();
    }
    (step.values as DeskOptions).ticketId = ticket.id;
    const w = this.words(step.context);
    const people = await this.services.people.book([ticket.userId]);
    await step.context.sendActivity(
      w.t('support.desk.typeAnswer', {
        ticket: ticket.number,
        who: people.label(ticket.userId, w),
        question: lines(ticket.question),
      }),
    );
    return step.prompt(ANSWER, worded('support.desk.answerPrompt', 'support.desk.answerPrompt'));
  }

  private async sendAnswer(step: WaterfallStepContext) {
    const ticket = await this.services.handover.ticket((step.values as DeskOptions).ticketId!);
    if (ticket) await this.answer(step.context, ticket, String(step.result).trim());
    return step.endDialog();
  }

  private async resolveQuestion({ ctx, user, card, cardActivityId }: CardTurn) {
    const w = this.words(ctx);
    if (!this.isDesk(user.role)) return void (await ctx.sendActivity(w.t('handover.onlySupport')));
    const ids = Array.isArray(card.questionIds)
      ? card.questionIds.map(String)
      : [String(card.questionId ?? '')];
    let done = false;
    for (const id of ids) done = (await this.services.faq.resolveQuestion?.(id, user.userId)) || done;
    await ctx.sendActivity(w.t(done ? 'support.desk.questionResolved' : 'support.desk.questionClosed'));
    if (cardActivityId && done) await this.tickets(ctx);
  }

  /** Why a ticket could not be taken, answered or resolved: who closed or holds it, and when. */
  private async refusal(ctx: TurnContext, r: { reason: string; ticket?: Ticket }): Promise<string> {
    const w = this.words(ctx);
    const t = r.ticket;
    if (!t) return w.t('handover.closed');
    const people = await this.services.people.book([t.answeredBy, t.claimedBy]);
    const me = this.user(ctx).userId;
    if (r.reason === 'claimed')
      return w.t('support.desk.takenBy', { ticket: t.number, who: people.label(t.claimedBy, w, me) });
    if (t.status === 'answered')
      return w.t('handover.alreadyAnsweredBy', {
        who: people.label(t.answeredBy, w, me),
        date: w.date(t.answeredAt),
      });
    if (t.status === 'resolved')
      return w.t('handover.alreadyResolvedBy', {
        who: people.label(t.answeredBy, w, me),
        date: w.date(t.answeredAt),
      });
    return w.t('handover.closed');
  }

  private isDesk(role: string): boolean {
    return role === 'support' || role === 'admin';
  }
}

/** The same person asking the same question twice is one item (the oldest), with every copy's id. */
function groupQuestions(
  questions: { id: string; userId: string | null; question: string; createdAt: string }[],
): { ids: string[]; userId: string | null; question: string; createdAt: string }[] {
  const groups = new Map<
    string,
    { ids: string[]; userId: string | null; question: string; createdAt: string }
  >();
  for (const q of questions) {
    const key = `${q.userId ?? ''}\u0000${q.question
      .trim()
      .toLowerCase()
      .replace(/[\s?？.!。！]+$/u, '')}`;
    const g = groups.get(key);
    if (g) g.ids.push(q.id);
    else groups.set(key, { ids: [q.id], userId: q.userId, question: q.question, createdAt: q.createdAt });
  }
  return [...groups.values()];
}
