import {
  MessageFactory,
  WaterfallDialog,
  type DialogTurnResult,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { statusMessage } from '../src/cards/statusText';
import type { BotServices } from './helpers/botServices';
import { actionKey, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';
import { worded, WordedTextPrompt } from './helpers/wordedPrompts';

const CODE = 'qualification.code';
const FLOW = 'qualification.flow';

/** Guide 2.1 steps 3-4: ask for the qualification review, the interview, redeem the invitation. */
export class QualificationDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.qualification, services);
    this.addDialog(
      new WordedTextPrompt(
        CODE,
        services.catalogue,
        async (p) =>
          p.recognized.succeeded && /^[A-Za-z0-9 -]{4,40}$/.test((p.recognized.value ?? '').trim()),
      ),
    ).addDialog(new WaterfallDialog(FLOW, [this.start.bind(this), this.redeem.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [actionKey('request-qualification-review')]: (t) => this.requestReview(t),
      // Without a code typed on the card, ask for it.
      [actionKey('accept-invitation')]: (t) =>
        typeof t.card.invitationCode === 'string'
          ? this.accept(
              t.ctx,
              String(t.card.applicationId),
              Number(t.card.version),
              t.card.invitationCode,
              (id) => t.dc.beginDialog(id),
            )
          : t.dc.beginDialog(this.id),
    };
  }

  private async requestReview({ ctx, user, card }: CardTurn): Promise<void> {
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      'request-qualification-review',
      Number(card.version),
    );
    if (app) {
      await ctx.sendActivity(this.words(ctx).t('qualification.reviewRequested'));
    }
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const app = await this.myApplication(step.context, options);
    if (!app || app === 'unavailable') return step.endDialog();
    const w = this.words(step.context);
    if (app.status === 'prospect') {
      const msg = MessageFactory.attachment(
        this.services.cards.reviewRequest(app, this.render(step.context), {
          heading: w.plain('qualification.card.heading'),
          hint: w.plain('qualification.card.hint'),
        }),
        options.lead,
      );
      await step.context.sendActivity(msg);
      return step.endDialog();
    }
    if (app.status !== 'invited') {
      await step.context.sendActivity(options.lead ?? statusMessage(app, 'partner', w));
      return step.endDialog();
    }
    // A prompt is said again after an interruption: the lead goes in a message of its own.
    if (options.lead) await step.context.sendActivity(options.lead);
    (step.values as { app?: unknown }).app = { id: app.id, version: app.version };
    return step.prompt(CODE, worded('qualification.code.prompt', 'qualification.code.retry'));
  }

  private async redeem(step: WaterfallStepContext) {
    const app = (step.values as { app: { id: string; version: number } }).app;
    const next = await this.accept(step.context, app.id, app.version, String(step.result), (id) =>
      step.replaceDialog(id),
    );
    return next ?? step.endDialog();
  }

  /** Redeems the code; then the application (2.2), or the code prompt again when it does not match. */
  private async accept(
    ctx: TurnContext,
    id: string,
    version: number,
    code: string,
    goTo: (dialogId: string) => Promise<DialogTurnResult>,
  ): Promise<DialogTurnResult | void> {
    const user = this.user(ctx);
    const w = this.words(ctx);
    const r = await this.services.workflow.act(user.userId, id, 'accept-invitation', version, {
      invitationCode: code.trim(),
    });
    if (r.ok) {
      await ctx.sendActivity(w.t('qualification.accepted'));
      return goTo(DIALOG.application);
    }
    if (r.error.kind === 'http' && r.error.code === 'invalid_invitation_code') {
      await ctx.sendActivity(w.t('qualification.codeMismatch'));
      return goTo(this.id);
    }
    if (r.error.kind === 'http' && r.error.code === 'invitation_expired') {
      await ctx.sendActivity(w.t('qualification.codeExpired'));
      return;
    }
    await ctx.sendActivity(await this.runner.explain(ctx, user, id, 'accept-invitation', r.error));
  }
}
