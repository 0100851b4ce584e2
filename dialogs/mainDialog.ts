import {
  ComponentDialog,
  DialogTurnStatus,
  MessageFactory,
  type DialogContext,
  type DialogTurnResult,
  type TurnContext,
} from '../src/bot/framework';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { turnLanguage } from '../src/bot/turnLanguage';
import { md } from '../src/escape';
import { trusted, type Wording } from '../src/i18n/catalogue';
import { isLanguage, type Language } from '../src/i18n/language';
import { isChannelChoice } from '../src/notify/contactPreferences';
import { actionLabel, actionOutcome, renderFor } from '../src/cards/cardBuilder';
import { statusMessage, statusTitle } from '../src/cards/statusText';
import { cardDataOf, VERBS, type CardData } from '../src/cards/verbs';
import type { Status } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import { AcpnDialog } from './acpnDialog';
import { ApplicationDialog } from './applicationDialog';
import { BdDialog } from './bdDialog';
import { ConfirmActionDialog, type ConfirmOptions } from './confirmActionDialog';
import { ContractDialog } from './contractDialog';
import { DecisionSheetDialog } from './decisionSheetDialog';
import { DIALOG, type DialogId } from './dialogIds';
import { FaqDialog } from './faqDialog';
import { answerQuestion, helpText } from './faqReply';
import type { BotServices } from './helpers/botServices';
import { cardKey, mergeTables, type CardTable } from './helpers/cardActions';
import { currentApplication } from './helpers/currentApplication';
import {
  intentOf,
  isQuestion,
  languageChoiceOf,
  moveFor,
  parseCommand,
  type Command,
  type Intent,
} from './helpers/intents';
import type { UserProfileAccessor } from './helpers/userProfile';
import { chooseChannels, offerChannels } from './notificationChoice';
import { QualificationDialog } from './qualificationDialog';
import { RegistrationDialog, registrationDraftText } from './registrationDialog';
import type { StepDialog, StepOptions } from './stepDialog';
import { SupportDialog, type SupportOptions } from './supportDialog';

/** Which step dialog shows a partner's application in each status. */
const PARTNER_STEP: Record<Status, DialogId> = {
  prospect: DIALOG.qualification,
  qualification_review: DIALOG.qualification,
  invited: DIALOG.qualification,
  draft: DIALOG.application,
  submitted: DIALOG.application,
  rejected: DIALOG.application,
  qualified: DIALOG.contract,
  terms_pending: DIALOG.decisionSheet,
  terms_correction: DIALOG.decisionSheet,
  awaiting_contract: DIALOG.contract,
  contract_signed: DIALOG.contract,
  acpn_active: DIALOG.acpn,
};

/** Card presses that do not end what was being asked: it is asked again after them. */
const KEEPS_DIALOG = new Set<string>([VERBS.feedback, VERBS.faqAsk, VERBS.handover]);
/** Steps taken in words that are irreversible: a summary and yes / no first. */
const CONFIRMED_MOVES = new Set(['submit', 'withdraw', 'confirm-terms']);
/** Intents worth an answer even when they do not fit the application's step ("withdraw" while drafting). */
const SAY_NOT_NOW = new Set<Intent>(['withdraw', 'submit', 'applyAgain', 'modify']);
const NOT_NOW_ACTION: Partial<Record<Intent, string>> = {
  withdraw: 'withdraw',
  submit: 'submit',
  applyAgain: 'reapply',
  modify: 'request-modification',
};
/** What every role can say, whatever it is doing. */
const EVERYONE: Command[] = ['help', 'cancel', 'status', 'start', 'language', 'notifications'];
/** Which commands each role has: a partner typing "take it back" is not claiming a ticket. */
const ROLE_COMMANDS: Record<string, ReadonlySet<Command>> = {
  partner: new Set<Command>([...EVERYONE, 'mine', 'myTerms']),
  bd: new Set<Command>([...EVERYONE, 'queue', 'lookup']),
  support: new Set<Command>([...EVERYONE, 'lookup', 'tickets', 'claim', 'reply', 'resolve']),
  admin: new Set<Command>([...EVERYONE, 'queue', 'lookup', 'tickets', 'claim', 'reply', 'resolve']),
};

const COMPLETE: DialogTurnResult = { status: DialogTurnStatus.complete };

interface Parsed {
  command: Command;
  arg?: string;
}

/**
 * The root: routes each person to the step they are at, and handles what may come at
 * any time — a card button, help, cancel, status, a question — before returning to
 * where they were. One interruption path serves the first turn and every later one,
 * as core-bot's CancelAndHelpDialog does.
 */
export class MainDialog extends ComponentDialog {
  private readonly cardTable: CardTable;
  private readonly application: ApplicationDialog;
  private readonly qualification: QualificationDialog;
  private readonly decisionSheet: DecisionSheetDialog;

  constructor(
    private readonly services: BotServices,
    /** The partner's memory across conversations (UserState); absent in dialog unit tests. */
    private readonly profile: UserProfileAccessor | undefined = services.profile,
  ) {
    super(DIALOG.main);
    this.application = new ApplicationDialog(services);
    this.qualification = new QualificationDialog(services);
    this.decisionSheet = new DecisionSheetDialog(services);
    const steps: StepDialog[] = [
      new RegistrationDialog(services, profile),
      this.qualification,
      this.application,
      this.decisionSheet,
      new ContractDialog(services),
      new AcpnDialog(services),
      new BdDialog(services),
      new SupportDialog(services),
      new FaqDialog(services),
      new ConfirmActionDialog(services, (dc, card, cardActivityId) => this.press(dc, card, cardActivityId)),
    ];
    for (const d of steps) this.addDialog(d);
    this.cardTable = mergeTables(steps.map((d) => d.cardHandlers()));
  }

  protected override async onBeginDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(inner)) ?? this.route(inner);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(inner)) ?? super.onContinueDialog(inner);
  }

  /** Card presses and commands win over whatever was being asked; questions are answered in between. */
  private async interrupt(inner: DialogContext): Promise<DialogTurnResult | undefined> {
    const ctx = inner.context;
    const card = cardDataOf(ctx.activity.value);
    // Choosing a language changes how things are said, not what is being done: nothing is cancelled.
    if (card?.verb === VERBS.language && isLanguage(card.language)) {
      return this.chooseLanguage(inner, card.language);
    }
    // So does choosing how to hear of the application.
    if (card?.verb === VERBS.channels && isChannelChoice(card.channels)) {
      await chooseChannels(this.services, ctx, card.channels);
      return this.resume(inner);
    }
    if (card && KEEPS_DIALOG.has(card.verb)) {
      await this.press(inner, card, ctx.activity.replyToId);
      return this.resume(inner);
    }
    if (card) {
      await inner.cancelAllDialogs();
      return (await this.press(inner, card, ctx.activity.replyToId)) ?? COMPLETE;
    }
    const text = (ctx.activity.text ?? '').trim();
    if (!text) return undefined;
    const chosen = languageChoiceOf(text);
    if (chosen) return this.chooseLanguage(inner, chosen);
    const parsed = this.commandFor(ctx, text);
    const w = this.words(ctx);
    switch (parsed?.command) {
      case 'cancel':
        return this.cancel(inner);
      case 'help':
        await ctx.sendActivity(helpText(this.user(ctx).role, w));
        return this.resume(inner);
      case 'language':
        await ctx.sendActivity(
          MessageFactory.attachment(
            this.services.cards.builder.small(w.t('language.ask'), [
              { label: w.plain('language.english'), data: { verb: VERBS.language, language: 'en' } },
              { label: w.plain('language.chinese'), data: { verb: VERBS.language, language: 'zh-CN' } },
            ]),
          ),
        );
        return this.resume(inner);
      case 'notifications':
        await offerChannels(this.services, ctx);
        return this.resume(inner);
      case 'status':
        await this.sendStatus(ctx);
        return this.resume(inner);
      case undefined:
        break;
      default:
        // start, queue, lookup, the desk's commands, the read-backs: begin afresh from the router.
        await inner.cancelAllDialogs();
        return this.route(inner, parsed);
    }
    // A question in the middle of a prompt is answered, then the prompt comes back. (With no
    // prompt waiting, the router decides what the text is.)
    if (inner.activeDialog && isQuestion(text) && !this.answersItself(inner)) {
      await answerQuestion(this.services, ctx, text);
      return this.resume(inner);
    }
    return undefined;
  }

  /** A prompt whose answer may read like a question ("why not quarterly?" as a modification, an answer to a ticket). */
  private answersItself(inner: DialogContext): boolean {
    const stack =
      JSON.stringify(inner.stack.map((d) => d.id)) + JSON.stringify(inner.activeDialog?.state ?? {});
    return stack.includes('decisionSheet.description') || stack.includes('support.answerPrompt');
  }

  /** The command in this text, if the person's role has it. */
  private commandFor(ctx: TurnContext, text: string): Parsed | undefined {
    const parsed = parseCommand(text);
    if (!parsed) return undefined;
    return ROLE_COMMANDS[this.user(ctx).role]?.has(parsed.command) ? parsed : undefined;
  }

  /** Cancel stops what was being asked; a registration's answers are kept for when they come back. */
  private async cancel(inner: DialogContext): Promise<DialogTurnResult> {
    const ctx = inner.context;
    const w = this.words(ctx);
    await inner.cancelAllDialogs();
    const draft = this.profile ? (await this.profile.get(ctx, {})).registration : undefined;
    const kept = draft ? registrationDraftText(draft, w) : undefined;
    await ctx.sendActivity(kept ? w.t('main.cancelledKept', { kept: trusted(kept) }) : w.t('main.cancelled'));
    return COMPLETE;
  }

  /** The person chose a language: it holds from now on, and what was being asked is asked again in it. */
  private async chooseLanguage(inner: DialogContext, language: Language): Promise<DialogTurnResult> {
    const ctx = inner.context;
    await this.services.languages.choose(ctx, language);
    await ctx.sendActivity(this.words(ctx).t('language.chosen'));
    return this.resume(inner);
  }

  /** After an interruption: the question that was being asked comes back, or the turn is over. */
  private async resume(inner: DialogContext): Promise<DialogTurnResult> {
    if (!inner.activeDialog) return COMPLETE;
    await inner.repromptDialog();
    return { status: DialogTurnStatus.waiting };
  }

  /** Starts the dialog for the person's role and, for partners, their application's status. */
  private async route(inner: DialogContext, parsed?: Parsed): Promise<DialogTurnResult> {
    const ctx = inner.context;
    const user = this.user(ctx);
    const text = (ctx.activity.text ?? '').trim();
    const command = parsed?.command;

    if (user.role === 'bd' || user.role === 'admin') {
      if (command === 'lookup')
        return inner.beginDialog(DIALOG.support, { query: parsed?.arg } satisfies StepOptions);
      if (command === 'tickets')
        return inner.beginDialog(DIALOG.support, { tickets: true } satisfies SupportOptions);
      if (command === 'claim' || command === 'reply' || command === 'resolve') {
        return inner.beginDialog(DIALOG.support, {
          desk: { command, arg: parsed?.arg },
        } satisfies SupportOptions);
      }
      if (!text || command) return inner.beginDialog(DIALOG.bd);
      return this.staffText(inner, text);
    }
    if (user.role === 'support') {
      if (command === 'lookup')
        return inner.beginDialog(DIALOG.support, { query: parsed?.arg } satisfies StepOptions);
      if (command === 'claim' || command === 'reply' || command === 'resolve') {
        return inner.beginDialog(DIALOG.support, {
          desk: { command, arg: parsed?.arg },
        } satisfies SupportOptions);
      }
      if (!text || command)
        return inner.beginDialog(DIALOG.support, { tickets: true } satisfies SupportOptions);
      return this.staffText(inner, text);
    }
    return this.routePartner(inner, text, command);
  }

  /**
   * Staff typing something that is not a command: a question is answered (with or without "?");
   * anything else is looked up only if it matches an application, and answered otherwise.
   */
  private async staffText(inner: DialogContext, text: string): Promise<DialogTurnResult> {
    if (isQuestion(text)) {
      await answerQuestion(this.services, inner.context, text);
      return COMPLETE;
    }
    return inner.beginDialog(DIALOG.support, { query: text, orQuestion: true } satisfies StepOptions);
  }

  private async routePartner(
    inner: DialogContext,
    text: string,
    command?: Command,
  ): Promise<DialogTurnResult> {
    const ctx = inner.context;
    const user = this.user(ctx);
    const w = this.words(ctx);
    const intent = text && !command ? intentOf(text) : undefined;
    // Other text may still be a question the guide answers ("login error on ACPN"): try that
    // first, it is local; only what it is not gets the application read and the step shown.
    if (text && !command && !intent) {
      if (isQuestion(text)) {
        await answerQuestion(this.services, ctx, text);
        return COMPLETE;
      }
      if (await answerQuestion(this.services, ctx, text, { onlyIfAnswered: true })) return COMPLETE;
    }
    const apps = await this.services.workflow.list(user.userId);
    if (!apps.ok) {
      await ctx.sendActivity(w.t('common.serviceUnreachable'));
      return COMPLETE;
    }
    const current = currentApplication(apps.value);
    if (!current) {
      if (intent && !['notYet', 'agree', 'confirm'].includes(intent) && intent !== 'applyAgain') {
        await ctx.sendActivity(w.t('main.noApplication'));
        return COMPLETE;
      }
      if (text && !command && !intent) {
        await ctx.sendActivity(w.t('main.notSureNew', { text: clip(text) }));
        return COMPLETE;
      }
      return inner.beginDialog(DIALOG.registration);
    }
    if (command === 'mine' || command === 'myTerms') return this.readBack(ctx, current, command);
    if (intent) {
      const handled = await this.partnerIntent(inner, current, intent);
      if (handled) return handled;
    }
    const where = w.sentences(
      await this.sinceLastTime(ctx, current, w),
      statusMessage(current, 'partner', w),
    );
    // Text that is neither a command nor a question the guide answers (typed while a card
    // waits, say) gets told where things stand and sees the step's card again.
    const lead =
      !text || command ? where : w.t('main.notSureLead', { text: clip(text), where: trusted(where) });
    return inner.beginDialog(PARTNER_STEP[current.status], { app: current, lead } satisfies StepOptions);
  }

  /** What a partner's words mean at their step: the step's action (irreversible ones confirmed first), or an answer. */
  private async partnerIntent(
    inner: DialogContext,
    app: ApplicationView,
    intent: Intent,
  ): Promise<DialogTurnResult | undefined> {
    const ctx = inner.context;
    const w = this.words(ctx);
    if (intent === 'whyRejected') {
      await ctx.sendActivity(
        app.status === 'rejected'
          ? statusMessage(app, 'partner', w)
          : w.t('main.notRejected', { where: trusted(statusMessage(app, 'partner', w)) }),
      );
      return COMPLETE;
    }
    if (intent === 'lostCode') {
      if (app.status !== 'invited') return undefined;
      await this.qualification.lostCode(ctx, app.id);
      return COMPLETE;
    }
    const move = moveFor(intent, app.status);
    if (!move) {
      if (!SAY_NOT_NOW.has(intent)) return undefined;
      await ctx.sendActivity(
        w.t('main.notNow', {
          action: actionLabel(NOT_NOW_ACTION[intent] ?? intent, w),
          step: trusted(statusTitle(app.status, w)),
        }),
      );
      return COMPLETE;
    }
    if (move === 'not-yet') {
      await ctx.sendActivity(w.t('confirm.termsWait'));
      return COMPLETE;
    }
    if (move === 'confirm-company') {
      if (app.companyInfoConfirmed) return undefined;
      return (
        (await this.press(inner, {
          verb: VERBS.confirmCompany,
          applicationId: app.id,
          version: app.version,
        })) ?? COMPLETE
      );
    }
    if (CONFIRMED_MOVES.has(move)) {
      return inner.beginDialog(DIALOG.confirmAction, {
        action: move,
        applicationId: app.id,
      } as ConfirmOptions);
    }
    return (
      (await this.press(inner, {
        verb: VERBS.act,
        action: move,
        applicationId: app.id,
        version: app.version,
      })) ?? COMPLETE
    );
  }

  /** The partner reads back what they submitted, or the terms (confirmed, or waiting for them). */
  private async readBack(
    ctx: TurnContext,
    app: ApplicationView,
    what: 'mine' | 'myTerms',
  ): Promise<DialogTurnResult> {
    const w = this.words(ctx);
    const render = renderFor(ctx, w);
    const cards = this.services.cards;
    if (what === 'myTerms') {
      if (!app.decisionSheet) {
        await ctx.sendActivity(w.t('main.noTermsYet', { step: trusted(statusTitle(app.status, w)) }));
        return COMPLETE;
      }
      if (app.status === 'terms_pending') {
        await this.decisionSheet.show(ctx, app, w.t('main.termsToConfirm'));
        return COMPLETE;
      }
      const history = await this.services.workflow.history(this.user(ctx).userId, app.id);
      const confirmed = history.ok
        ? history.value.filter((h) => h.action === 'confirm-terms').at(-1)
        : undefined;
      const card = cards.partnerSummary(app, render, {
        heading: w.plain('cards.summary.termsHeading'),
        termsOnly: true,
        outcome: confirmed
          ? actionOutcome('confirm-terms', w.plain('people.you'), confirmed.occurredAt, w)
          : undefined,
      });
      await ctx.sendActivity({ type: 'message', attachments: [card] });
      return COMPLETE;
    }
    const history = await this.services.workflow.history(this.user(ctx).userId, app.id);
    const submitted = history.ok ? history.value.filter((h) => h.action === 'submit').at(-1) : undefined;
    await ctx.sendActivity({
      type: 'message',
      attachments: [
        cards.partnerSummary(app, render, {
          outcome: submitted
            ? actionOutcome('submit', w.plain('people.you'), submitted.occurredAt, w)
            : undefined,
        }),
      ],
    });
    return COMPLETE;
  }

  /**
   * "Since we last spoke, …" for what others changed since the partner last heard from the bot
   * (a notification they missed), each named as it happened; then remembers what they have seen.
   * Their own actions are never news to them.
   */
  private async sinceLastTime(ctx: TurnContext, current: ApplicationView, w: Wording): Promise<string> {
    if (!this.profile) return '';
    const seen = await this.profile.get(ctx, {});
    const before = seen.lastSeen;
    await this.profile.set(ctx, {
      ...seen,
      lastSeen: { applicationId: current.id, version: current.version },
    });
    if (!before || before.applicationId !== current.id || typeof before.version !== 'number') return '';
    if (before.version >= current.version) return '';
    const user = this.user(ctx);
    const history = await this.services.workflow.history(user.userId, current.id);
    if (!history.ok) return '';
    const news = history.value.filter((h) => h.version > before.version! && h.actor !== user.userId);
    if (!news.length) return '';
    const people = await this.services.people.book(news.map((h) => h.actor));
    const said = news.map((h) =>
      actionOutcome(h.action, people.label(h.actor, w, user.userId), h.occurredAt, w),
    );
    return w.t('main.sinceLastTime', {
      changes: trusted(
        w.list(
          said.map((s) => md(s)),
          true,
        ),
      ),
    });
  }

  /** A card press, or a step taken in words as its card would: to its step's handler (the card table). */
  private async press(
    inner: DialogContext,
    card: CardData,
    cardActivityId?: string,
  ): Promise<DialogTurnResult | undefined> {
    const ctx = inner.context;
    const handler = this.cardTable[cardKey(card)];
    if (!handler) {
      await ctx.sendActivity(this.words(ctx).t('main.staleButton'));
      return COMPLETE;
    }
    const user = this.user(ctx);
    const pressed = cardActivityId ?? (await this.pressedCard(ctx, user, card));
    const result = await handler({ dc: inner, ctx, user, card, cardActivityId: pressed });
    return result ?? undefined;
  }

  /**
   * The activity of the card that was pressed, when the channel does not say (Web Chat sends a
   * card's data without replyToId): the card this person was sent here for the subject and
   * version its data names.
   */
  private async pressedCard(ctx: TurnContext, user: TurnUser, card: CardData): Promise<string | undefined> {
    const conversationId = ctx.activity.conversation?.id;
    if (!conversationId || ctx.activity.type !== 'message') return undefined;
    if (typeof card.cardId === 'string')
      return this.services.copies.find(conversationId, user.userId, card.cardId);
    if (typeof card.handoverId === 'string')
      return this.services.copies.find(conversationId, user.userId, card.handoverId);
    if (typeof card.applicationId === 'string' && Number.isInteger(Number(card.version))) {
      return this.services.copies.find(conversationId, user.userId, card.applicationId, Number(card.version));
    }
    return undefined;
  }

  private async sendStatus(ctx: TurnContext): Promise<void> {
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (user.role !== 'partner') {
      await ctx.sendActivity(w.t(user.role === 'support' ? 'main.statusSupport' : 'main.statusBd'));
      return;
    }
    const r = await this.services.workflow.list(user.userId);
    const current = r.ok ? currentApplication(r.value) : undefined;
    if (current) {
      await ctx.sendActivity(
        w.sentences(await this.sinceLastTime(ctx, current, w), statusMessage(current, 'partner', w)),
      );
      return;
    }
    const draft = this.profile ? (await this.profile.get(ctx, {})).registration : undefined;
    const kept = draft ? registrationDraftText(draft, w) : undefined;
    await ctx.sendActivity(
      !r.ok
        ? w.t('common.serviceUnreachable')
        : kept
          ? w.t('main.registering', { kept: trusted(kept) })
          : w.t('main.noApplication'),
    );
  }

  private user(ctx: TurnContext): TurnUser {
    return ctx.turnState.get(TURN_USER) as TurnUser;
  }

  private words(ctx: TurnContext): Wording {
    return this.services.catalogue.in(turnLanguage(ctx));
  }
}

/** Echoes typed text back in a reply without letting a paste flood the chat. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
