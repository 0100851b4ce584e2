import {
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { VERBS, type CardData } from '../src/cards/verbs';
import type { ActionName } from '../src/workflow/machine';
import type { BotServices } from './helpers/botServices';
import type { CardTable } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';
import { worded, YesNoPrompt } from './helpers/wordedPrompts';

const FLOW = 'confirmAction.flow';
const ASK = 'confirmAction.ask';

export interface ConfirmOptions {
  action: Exclude<ActionName, 'register'>;
  applicationId: string;
}

interface Values extends ConfirmOptions {
  version: number;
  cardActivityId?: string;
}

/** Runs a confirmed action as if its card button had been pressed (MainDialog's card table). */
export type PressCard = (
  dc: DialogContext,
  card: CardData,
  cardActivityId?: string,
) => Promise<DialogTurnResult | void>;

/**
 * An irreversible step asked for in words ("withdraw", "I agree with the terms"): first what
 * it will send and what it means, then yes or no. Yes (typed, in either language and in
 * phrases such as "yes that is correct", or the card's button) takes the step as its card
 * button would; no changes nothing.
 */
export class ConfirmActionDialog extends StepDialog {
  constructor(
    services: BotServices,
    private readonly press: PressCard,
  ) {
    super(DIALOG.confirmAction, services);
    this.addDialog(new YesNoPrompt(ASK, services.catalogue));
    this.addDialog(new WaterfallDialog(FLOW, [this.show.bind(this), this.answer.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [VERBS.notNow]: async ({ ctx, cardActivityId, card }) => {
        const w = this.words(ctx);
        await this.post.replace(
          ctx,
          cardActivityId,
          this.services.cards.builder.note(w.t('confirm.notDone')),
        );
        await ctx.sendActivity(
          w.t(card.action === 'confirm-terms' ? 'confirm.termsWait' : 'confirm.nothingDone'),
        );
      },
    };
  }

  private async show(step: WaterfallStepContext) {
    const { action, applicationId } = step.options as ConfirmOptions;
    const ctx = step.context;
    const r = await this.services.workflow.get(this.user(ctx).userId, applicationId);
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(ctx, this.user(ctx), applicationId, action, r.error));
      return step.endDialog();
    }
    const values = step.values as Values;
    Object.assign(values, { action, applicationId, version: r.value.version });
    const card = this.services.cards.confirmation(r.value, action, this.render(ctx));
    const sent = await ctx.sendActivity({ type: 'message', attachments: [card] });
    values.cardActivityId = sent?.id;
    return step.prompt(ASK, worded('confirm.prompt', 'confirm.retry'));
  }

  private async answer(step: WaterfallStepContext) {
    const v = step.values as Values;
    if (step.result !== true) {
      await step.context.sendActivity(
        this.words(step.context).t(
          v.action === 'confirm-terms' ? 'confirm.termsWait' : 'confirm.nothingDone',
        ),
      );
      return step.endDialog();
    }
    const card: CardData = {
      verb: VERBS.act,
      action: v.action,
      applicationId: v.applicationId,
      version: v.version,
    };
    const next = await this.press(step, card, v.cardActivityId);
    return next ?? step.endDialog();
  }
}
