import { WaterfallDialog, type WaterfallStepContext } from '../src/bot/framework';
import { VERBS } from '../src/cards/verbs';
import type { BotServices } from './helpers/botServices';
import type { CardTable, CardTurn } from './helpers/cardActions';
import { answerQuestion, offerSupport } from './faqReply';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';

/**
 * The buttons under an answer from the guide: a "see also" entry asked, feedback, and handing
 * the question to a person. None of them interrupts what was being asked (MainDialog resumes it).
 */
export class FaqDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.faq, services);
    this.addDialog(new WaterfallDialog('faq.flow', [async (step: WaterfallStepContext) => step.endDialog()]));
    this.initialDialogId = 'faq.flow';
  }

  override cardHandlers(): CardTable {
    return {
      [VERBS.faqAsk]: async ({ ctx, card }) => {
        const question = typeof card.question === 'string' ? card.question.trim() : '';
        if (question) await answerQuestion(this.services, ctx, question);
      },
      [VERBS.feedback]: (t) => this.feedback(t),
      [VERBS.handover]: (t) => this.askSupport(t),
    };
  }

  /** Helpful or not; "not helpful" from a partner offers a person at once. */
  private async feedback({ ctx, user, card }: CardTurn): Promise<void> {
    const w = this.words(ctx);
    const helpful = card.helpful === true || card.helpful === 'true';
    const question = String(card.question ?? '');
    await this.services.faq.recordFeedback({
      question,
      entryId: typeof card.citationId === 'string' ? card.citationId : null,
      helpful,
      userId: user.userId,
      channel: ctx.activity.channelId,
    });
    if (helpful || user.role !== 'partner' || !question) {
      await ctx.sendActivity(w.t('main.feedbackThanks'));
      return;
    }
    await ctx.sendActivity(w.t('faq.sorryNotHelpful'));
    await offerSupport(this.services, ctx, question, w, 'faq.personCanAnswer');
  }

  /**
   * Hands the question to support as a ticket; asking the same open question again reuses it.
   * The pressed "Ask support" card then says what became of the question.
   */
  private async askSupport({ ctx, user, card, cardActivityId }: CardTurn): Promise<void> {
    const w = this.words(ctx);
    const question = String(card.question ?? '').trim();
    if (!question) return void (await ctx.sendActivity(w.t('handover.typeQuestionFirst')));
    if (user.role !== 'partner') return void (await ctx.sendActivity(w.t('handover.partnersOnly')));
    const r = await this.services.handover.ask(user.userId, question);
    const said = r.ok
      ? w.t('handover.handed', { ticket: r.ticket.number })
      : r.reason === 'already-asked'
        ? w.t('handover.alreadyAsked', { ticket: r.ticket.number, date: w.date(r.ticket.createdAt) })
        : w.t('handover.nobody', { ticket: r.ticket.number });
    const note = w.t(r.ok || r.reason === 'nobody' ? 'handover.askedNote' : 'handover.alreadyAskedNote', {
      ticket: r.ticket.number,
    });
    await this.post.replace(ctx, cardActivityId, this.services.cards.builder.note(note));
    await ctx.sendActivity(said);
  }
}
