import { MessageFactory, type TurnContext } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { termsCard } from '../src/cards/applicationCards';
import type { BotServices } from './helpers/botServices';
import { statusMessage } from '../src/cards/statusText';
import { VERBS } from '../src/cards/verbs';
import { isRealDescription, type ApplicationView } from '../src/workflow/schemas';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const DESCRIPTION = 'decisionSheet.description';
const FLOW = 'decisionSheet.flow';

/** Guide 2.3: Basic information and Commission Policy Information; confirm or modify. */
export class DecisionSheetDialog extends StepDialog {
  static readonly actions = ['confirm-terms', 'request-modification'];

  constructor(services: BotServices) {
    super(DIALOG.decisionSheet, services);
    this.addDialog(
      new TextPrompt(
        DESCRIPTION,
        async (p) => p.recognized.succeeded && isRealDescription(p.recognized.value ?? ''),
      ),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this), this.modify.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    const { card } = step.options as StepOptions;
    const ctx = step.context;
    const user = this.user(ctx);
    if (card?.verb === VERBS.act && card.action === 'confirm-terms') {
      const app = await this.runner.run(
        ctx,
        user,
        String(card.applicationId),
        'confirm-terms',
        Number(card.version),
      );
      if (app) {
        await ctx.sendActivity(
          `Business terms confirmed. Waiting for signing contract: your BD will contact you within 3 working days (by ${this.services.dates.date(app.dueDate)}) about the commercial contract.`,
        );
      }
      return step.endDialog();
    }
    if (card?.verb === VERBS.act && card.action === 'request-modification') {
      const description = typeof card.description === 'string' ? card.description : '';
      if (isRealDescription(description)) {
        await this.requestModification(ctx, String(card.applicationId), Number(card.version), description);
        return step.endDialog();
      }
      (step.values as { app?: unknown }).app = { id: card.applicationId, version: card.version };
      return this.askDescription(step);
    }
    const app = await this.myApplication(ctx, step.options as StepOptions);
    if (!app || app === 'unavailable') return step.endDialog();
    if (app.status !== 'terms_pending') {
      await ctx.sendActivity(statusMessage(app, 'partner', this.services.dates));
      return step.endDialog();
    }
    await this.show(ctx, app);
    return step.endDialog();
  }

  private askDescription(step: WaterfallStepContext) {
    return step.prompt(DESCRIPTION, {
      prompt:
        'Please describe the revision in detail: what is wrong in the decision sheet and what it should be.',
      retryPrompt:
        'A modification needs a real description, for example "The settlement cycle should be quarterly, not monthly". Please type it, or **cancel**.',
    });
  }

  private async modify(step: WaterfallStepContext) {
    const app = (step.values as { app: { id: string; version: number } }).app;
    await this.requestModification(step.context, app.id, app.version, String(step.result));
    return step.endDialog();
  }

  private async requestModification(ctx: TurnContext, id: string, version: number, description: string) {
    const app = await this.runner.run(ctx, this.user(ctx), id, 'request-modification', version, {
      description,
    });
    if (app) {
      await ctx.sendActivity(
        'Your modification request was sent. It is now in the correction process: your BD corrects the decision sheet and I will show you the new one.',
      );
    }
  }

  async show(ctx: TurnContext, app: ApplicationView): Promise<void> {
    await ctx.sendActivity(MessageFactory.attachment(termsCard(this.services, ctx, app)));
  }
}
