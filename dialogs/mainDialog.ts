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
import { trusted, type Wording } from '../src/i18n/catalogue';
import { isLanguage, type Language } from '../src/i18n/language';
import { isChannelChoice } from '../src/notify/contactPreferences';
import { statusMessage, statusTitle } from '../src/cards/statusText';
import { cardDataOf, VERBS, type CardData } from '../src/cards/verbs';
import type { Status } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import { AcpnDialog } from './acpnDialog';
import { ApplicationDialog } from './applicationDialog';
import { BdDialog } from './bdDialog';
import { ContractDialog } from './contractDialog';
import { DecisionSheetDialog } from './decisionSheetDialog';
import { DIALOG, type DialogId } from './dialogIds';
import { answerQuestion, helpText } from './faqReply';
import type { BotServices } from './helpers/botServices';
import { cardKey, mergeTables, type CardTable } from './helpers/cardActions';
import { currentApplication } from './helpers/currentApplication';
import { commandOf, isQuestion, languageChoiceOf } from './helpers/intents';
import type { UserProfileAccessor } from './helpers/userProfile';
import { chooseChannels, offerChannels } from './notificationChoice';
import { QualificationDialog } from './qualificationDialog';
import { RegistrationDialog } from './registrationDialog';
import type { StepDialog, StepOptions } from './stepDialog';
import { SupportDialog } from './supportDialog';

/** Which step dialog shows a partner's application in each status. */
const PARTNER_STEP: Record<Status, DialogId> = {
  prospect: DIALOG.qualification,
  qualification_review: DIALOG.qualification,
  invited: DIALOG.qualification,
  draft: DIALOG.application,
  submitted: DIALOG.application,
  rejected: DIALOG.contract,
  qualified: DIALOG.contract,
  terms_pending: DIALOG.decisionSheet,
  terms_correction: DIALOG.decisionSheet,
  awaiting_contract: DIALOG.contract,
  contract_signed: DIALOG.contract,
  acpn_active: DIALOG.acpn,
};

const COMPLETE: DialogTurnResult = { status: DialogTurnStatus.complete };

/**
 * The root: routes each person to the step they are at, and handles what may come at
 * any time — a card button, help, cancel, status, a question — before returning to
 * where they were. One interruption path serves the first turn and every later one,
 * as core-bot's CancelAndHelpDialog does.
 */
export class MainDialog extends ComponentDialog {
  private readonly cardTable: CardTable;

  constructor(
    private readonly services: BotServices,
    /** The partner's memory across conversations (UserState); absent in dialog unit tests. */
    private readonly profile?: UserProfileAccessor,
  ) {
    super(DIALOG.main);
    const steps: StepDialog[] = [
      new RegistrationDialog(services),
      new QualificationDialog(services),
      new ApplicationDialog(services),
      new DecisionSheetDialog(services),
      new ContractDialog(services),
      new AcpnDialog(services),
      new BdDialog(services),
      new SupportDialog(services),
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
    if (card) {
      await inner.cancelAllDialogs();
      return this.handleCard(inner, card);
    }
    const text = (ctx.activity.text ?? '').trim();
    if (!text) return undefined;
    const chosen = languageChoiceOf(text);
    if (chosen) return this.chooseLanguage(inner, chosen);
    const command = commandOf(text);
    const w = this.words(ctx);
    if (command === 'cancel') {
      await inner.cancelAllDialogs();
      await ctx.sendActivity(w.t('main.cancelled'));
      return COMPLETE;
    }
    if (command === 'help') {
      await ctx.sendActivity(helpText(this.user(ctx).role, w));
      return this.resume(inner);
    }
    if (command === 'language') {
      await ctx.sendActivity(
        MessageFactory.attachment(
          this.services.cards.builder.small(w.t('language.ask'), [
            { label: w.plain('language.english'), data: { verb: VERBS.language, language: 'en' } },
            { label: w.plain('language.chinese'), data: { verb: VERBS.language, language: 'zh-CN' } },
          ]),
        ),
      );
      return this.resume(inner);
    }
    if (command === 'notifications') {
      await offerChannels(this.services, ctx);
      return this.resume(inner);
    }
    if (command === 'status') {
      await this.sendStatus(ctx);
      return this.resume(inner);
    }
    if (command) {
      // start, queue, lookup: begin afresh from the router.
      await inner.cancelAllDialogs();
      return this.route(inner);
    }
    if (isQuestion(text)) {
      await answerQuestion(this.services, ctx, text);
      return this.resume(inner);
    }
    return undefined;
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
  private async route(inner: DialogContext): Promise<DialogTurnResult> {
    const ctx = inner.context;
    const user = this.user(ctx);
    const text = (ctx.activity.text ?? '').trim();
    const command = commandOf(text);

    if (user.role === 'bd' || user.role === 'admin') {
      return inner.beginDialog(command === 'lookup' ? DIALOG.support : DIALOG.bd);
    }
    if (user.role === 'support') {
      if (command === 'lookup' || command === 'start' || !text) return inner.beginDialog(DIALOG.support);
      return inner.beginDialog(DIALOG.support, { query: text } satisfies StepOptions);
    }
    // Other text may still be a question the guide answers ("login error on ACPN"): try that
    // first, it is local; only what it is not gets the application read and the step shown.
    const understood =
      !text || command || (await answerQuestion(this.services, ctx, text, { onlyIfAnswered: true }));
    if (text && !command && understood) return COMPLETE;
    const w = this.words(ctx);
    const app = await this.services.workflow.list(user.userId);
    if (!app.ok) {
      await ctx.sendActivity(w.t('common.serviceUnreachable'));
      return COMPLETE;
    }
    const current = currentApplication(app.value);
    // Text that is neither a command nor a question the guide answers (typed while a card
    // waits, say) gets told where things stand and sees the step's card again.
    // Only a rejected application (or none): the partner may start a new one.
    if (!current || current.status === 'rejected') {
      if (!understood) {
        await ctx.sendActivity(w.t('main.notSureNew', { text: clip(text) }));
        return COMPLETE;
      }
      return inner.beginDialog(DIALOG.registration);
    }
    const where = w.sentences(
      await this.sinceLastTime(ctx, current, w),
      statusMessage(current, 'partner', w),
    );
    // The step says this with its card: one message, not two.
    const lead = understood ? where : w.t('main.notSureLead', { text: clip(text), where: trusted(where) });
    return inner.beginDialog(PARTNER_STEP[current.status], { app: current, lead } satisfies StepOptions);
  }

  /**
   * "Since we last spoke, …" when the application moved on since the partner last heard
   * from the bot (a notification they missed), then remembers what they have now seen.
   */
  private async sinceLastTime(ctx: TurnContext, current: ApplicationView, w: Wording): Promise<string> {
    if (!this.profile) return '';
    const seen = await this.profile.get(ctx, {});
    const before = seen.lastSeen;
    await this.profile.set(ctx, {
      ...seen,
      lastSeen: { applicationId: current.id, status: current.status },
    });
    if (!before || before.applicationId !== current.id || before.status === current.status) return '';
    return w.t('main.sinceLastTime', { step: trusted(statusTitle(before.status, w)) });
  }

  /** A card press: feedback and hand-over here, everything else to its step's handler (the card table). */
  private async handleCard(inner: DialogContext, card: CardData): Promise<DialogTurnResult> {
    const ctx = inner.context;
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (card.verb === VERBS.feedback) {
      await this.services.faq.recordFeedback({
        question: String(card.question ?? ''),
        entryId: typeof card.citationId === 'string' ? card.citationId : null,
        helpful: card.helpful === true || card.helpful === 'true',
        userId: user.userId,
        channel: ctx.activity.channelId,
      });
      await ctx.sendActivity(w.t('main.feedbackThanks'));
      return COMPLETE;
    }
    if (card.verb === VERBS.handover || card.verb === VERBS.handoverAnswer) {
      await ctx.sendActivity(await this.handover(ctx, card));
      return COMPLETE;
    }
    const handler = this.cardTable[cardKey(card)];
    if (!handler) {
      await ctx.sendActivity(w.t('main.staleButton'));
      return COMPLETE;
    }
    const result = await handler({ dc: inner, ctx, user, card, cardActivityId: ctx.activity.replyToId });
    return result ?? COMPLETE;
  }

  /** A partner asks support; support answers (first answer wins, relayed to the partner). */
  private async handover(ctx: TurnContext, card: CardData): Promise<string> {
    const service = this.services.handover;
    const user = this.user(ctx);
    const w = this.words(ctx);
    if (card.verb === VERBS.handover) {
      const question = String(card.question ?? '').trim();
      if (!question) return w.t('handover.typeQuestionFirst');
      const r = await service.ask(user.userId, question);
      return w.t(r.ok ? 'handover.handed' : 'handover.nobody');
    }
    if (user.role !== 'support' && user.role !== 'admin') return w.t('handover.onlySupport');
    const answer = typeof card.answer === 'string' ? card.answer.trim() : '';
    if (!answer) return w.t('handover.typeAnswer');
    const r = await service.answer(String(card.handoverId ?? ''), user.userId, answer);
    if (r.ok) return w.t(r.reached ? 'handover.sent' : 'handover.savedUnreached');
    if (r.reason === 'already-answered') {
      return r.answeredBy
        ? w.t('handover.alreadyAnsweredBy', { who: r.answeredBy })
        : w.t('handover.alreadyAnswered');
    }
    return w.t('handover.closed');
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
    await ctx.sendActivity(
      current
        ? w.sentences(await this.sinceLastTime(ctx, current, w), statusMessage(current, 'partner', w))
        : w.t(r.ok ? 'main.noApplication' : 'common.serviceUnreachable'),
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
