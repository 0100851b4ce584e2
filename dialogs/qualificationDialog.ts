import {
  WaterfallDialog,
  type DialogTurnResult,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { statusMessage } from '../src/cards/statusText';
import type { BotServices } from './helpers/botServices';
import { actionKey, type CardTable, type CardTurn } from './helpers/cardActions';
import { intentOf } from './helpers/intents';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';
import { worded, WordedTextPrompt } from './helpers/wordedPrompts';

const CODE = 'qualification.code';
const FLOW = 'qualification.flow';
/** An invitation code as the workflow issues it: ABCD-EFGH (the dash and case optional when typed). */
const CODE_SHAPE = /^[A-Z0-9]{4}-?[A-Z0-9]{4}$/i;

/** Guide 2.1 steps 3-4: ask for the qualification review, the interview, redeem the invitation. */
export class QualificationDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.qualification, services);
    this.addDialog(
      new WordedTextPrompt(CODE, services.catalogue, async (p) => {
        const typed = (p.recognized.value ?? '').trim();
        // "I lost the code" is an answer too: it is told how to get a new one.
        return (
          p.recognized.succeeded &&
          (CODE_SHAPE.test(typed.replace(/\s+/g, '')) || intentOf(typed) === 'lostCode')
        );
      }),
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

  /** Guide 2.1 step 3, the first time or again after the BD declined (not for good). */
  async requestReview(turn: CardTurn): Promise<void> {
    const app = await this.actOnCard(turn, 'request-qualification-review');
    if (app) await turn.ctx.sendActivity(this.words(turn.ctx).t('qualification.reviewRequested'));
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const app = await this.myApplication(step.context, options);
    if (!app || app === 'unavailable') return step.endDialog();
    const w = this.words(step.context);
    if (app.status === 'prospect') {
      await this.post.send(
        step.context,
        this.services.cards.reviewRequest(app, this.render(step.context), {
          heading: w.plain('qualification.card.heading'),
          hint: w.plain('qualification.card.hint'),
        }),
        { text: options.lead, about: { app, kind: 'partner' } },
      );
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
    const typed = String(step.result);
    if (intentOf(typed) === 'lostCode') {
      await this.lostCode(step.context, app.id);
      return step.endDialog();
    }
    const next = await this.accept(step.context, app.id, app.version, typed, (id) => step.replaceDialog(id));
    return next ?? step.endDialog();
  }

  /** A partner without a (valid) code: only their BD can issue a new one, so say who and how. */
  async lostCode(ctx: TurnContext, applicationId: string): Promise<void> {
    const w = this.words(ctx);
    const r = await this.services.workflow.get(this.user(ctx).userId, applicationId);
    const people = await this.services.people.book([r.ok ? r.value.bdUserId : undefined]);
    const name = r.ok ? people.nameOf(r.value.bdUserId) : undefined;
    await ctx.sendActivity(
      name ? w.t('qualification.lostCodeNamed', { bd: name }) : w.t('qualification.lostCode'),
    );
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
