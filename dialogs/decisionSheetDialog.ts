import {
  MessageFactory,
  WaterfallDialog,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { statusMessage } from '../src/cards/statusText';
import { isRealDescription, type ApplicationView } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import { actionKey, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';
import { worded, WordedTextPrompt } from './helpers/wordedPrompts';

const DESCRIPTION = 'decisionSheet.description';
const FLOW = 'decisionSheet.flow';

interface DecisionSheetOptions extends StepOptions {
  /** Modify was pressed without a real description: ask for one for this version of this application. */
  modify?: { id: string; version: number };
}

/** Guide 2.3: Basic information and Commission Policy Information; confirm or modify. */
export class DecisionSheetDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.decisionSheet, services);
    this.addDialog(
      new WordedTextPrompt(
        DESCRIPTION,
        services.catalogue,
        async (p) => p.recognized.succeeded && isRealDescription(p.recognized.value ?? ''),
      ),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this), this.modify.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [actionKey('confirm-terms')]: (t) => this.confirm(t),
      [actionKey('request-modification')]: async (t) => {
        const description = typeof t.card.description === 'string' ? t.card.description : '';
        const id = String(t.card.applicationId);
        const version = Number(t.card.version);
        if (isRealDescription(description)) return this.requestModification(t.ctx, id, version, description);
        return t.dc.beginDialog(this.id, { modify: { id, version } } satisfies DecisionSheetOptions);
      },
    };
  }

  private async confirm({ ctx, user, card }: CardTurn): Promise<void> {
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      'confirm-terms',
      Number(card.version),
    );
    if (app) {
      const w = this.words(ctx);
      await ctx.sendActivity(w.t('decisionSheet.confirmed', { due: w.date(app.dueDate) }));
    }
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as DecisionSheetOptions;
    const ctx = step.context;
    if (options.modify) {
      (step.values as DecisionSheetOptions).modify = options.modify;
      return step.prompt(DESCRIPTION, worded('decisionSheet.modify.prompt', 'decisionSheet.modify.retry'));
    }
    const app = await this.myApplication(ctx, options);
    if (!app || app === 'unavailable') return step.endDialog();
    if (app.status !== 'terms_pending') {
      await ctx.sendActivity(options.lead ?? statusMessage(app, 'partner', this.words(ctx)));
      return step.endDialog();
    }
    await this.show(ctx, app, options.lead);
    return step.endDialog();
  }

  private async modify(step: WaterfallStepContext) {
    const app = (step.values as DecisionSheetOptions).modify!;
    await this.requestModification(step.context, app.id, app.version, String(step.result));
    return step.endDialog();
  }

  private async requestModification(ctx: TurnContext, id: string, version: number, description: string) {
    const app = await this.runner.run(ctx, this.user(ctx), id, 'request-modification', version, {
      description,
    });
    if (app) {
      await ctx.sendActivity(this.words(ctx).t('decisionSheet.modificationSent'));
    }
  }

  async show(ctx: TurnContext, app: ApplicationView, lead?: string): Promise<void> {
    await ctx.sendActivity(MessageFactory.attachment(this.services.cards.terms(app, this.render(ctx)), lead));
  }
}
