import { WaterfallDialog, type TurnContext, type WaterfallStepContext } from '../src/bot/framework';
import { statusMessage } from '../src/cards/statusText';
import type { DecisionSheet } from '../src/cards/termsText';
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
  modify?: { id: string; version: number; cardActivityId?: string };
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
        if (isRealDescription(description)) return this.requestModification(t, description);
        return t.dc.beginDialog(this.id, {
          modify: { id, version, cardActivityId: t.cardActivityId },
        } satisfies DecisionSheetOptions);
      },
    };
  }

  private async confirm(turn: CardTurn): Promise<void> {
    const app = await this.actOnCard(turn, 'confirm-terms');
    if (app) {
      const w = this.words(turn.ctx);
      await turn.ctx.sendActivity(w.t('decisionSheet.confirmed', { due: w.date(app.dueDate) }));
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
    const m = (step.values as DecisionSheetOptions).modify!;
    const turn = {
      dc: step,
      ctx: step.context,
      user: this.user(step.context),
      card: { verb: 'workflow.act', applicationId: m.id, version: m.version },
      cardActivityId: m.cardActivityId,
    } as CardTurn;
    await this.requestModification(turn, String(step.result));
    return step.endDialog();
  }

  private async requestModification(turn: CardTurn, description: string) {
    const app = await this.actOnCard(turn, 'request-modification', { description });
    if (app) await turn.ctx.sendActivity(this.words(turn.ctx).t('decisionSheet.modificationSent'));
  }

  /** The terms to confirm; after a correction, each changed entry says what it was. */
  async show(ctx: TurnContext, app: ApplicationView, lead?: string): Promise<void> {
    const previous = await this.previousSheet(ctx, app);
    await this.post.send(ctx, this.services.cards.terms(app, this.render(ctx), previous), {
      text: lead,
      about: { app, kind: 'partner' },
    });
  }

  /** The decision sheet before the latest one, if the BD corrected it (from the history). */
  private async previousSheet(ctx: TurnContext, app: ApplicationView): Promise<DecisionSheet | undefined> {
    const r = await this.services.workflow.history(this.user(ctx).userId, app.id);
    if (!r.ok) return undefined;
    const sheets = r.value.filter((h) => h.action === 'fill-decision-sheet');
    return sheets.length > 1 ? (sheets.at(-2)!.payload as unknown as DecisionSheet) : undefined;
  }
}
