import { MessageFactory } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { reviewRequestCard } from '../src/cards/applicationCards';
import type { BotServices } from './helpers/botServices';
import { statusMessage } from '../src/cards/statusText';
import { VERBS } from '../src/cards/verbs';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const CODE = 'qualification.code';
const FLOW = 'qualification.flow';

/** Guide 2.1 steps 3-4: ask for the qualification review, the interview, redeem the invitation. */
export class QualificationDialog extends StepDialog {
  static readonly actions = ['request-qualification-review', 'accept-invitation'];

  constructor(services: BotServices) {
    super(DIALOG.qualification, services);
    this.addDialog(
      new TextPrompt(
        CODE,
        async (p) =>
          p.recognized.succeeded && /^[A-Za-z0-9 -]{4,40}$/.test((p.recognized.value ?? '').trim()),
      ),
    ).addDialog(new WaterfallDialog(FLOW, [this.start.bind(this), this.redeem.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    const { card } = step.options as StepOptions;
    const user = this.user(step.context);
    if (card?.verb === VERBS.act && card.action === 'request-qualification-review') {
      const app = await this.runner.run(
        step.context,
        user,
        String(card.applicationId),
        'request-qualification-review',
        Number(card.version),
      );
      if (app) {
        await step.context.sendActivity(
          'Done: your BD has been asked for the qualification review. They will contact you about the qualification requirements and policy, and prepare the onboarding interview. I will tell you when the invitation is issued.',
        );
      }
      return step.endDialog();
    }
    if (
      card?.verb === VERBS.act &&
      card.action === 'accept-invitation' &&
      typeof card.invitationCode === 'string'
    ) {
      return this.accept(step, String(card.applicationId), Number(card.version), card.invitationCode);
    }
    const app = await this.myApplication(step.context, step.options as StepOptions);
    if (!app || app === 'unavailable') return step.endDialog();
    if (app.status === 'prospect') {
      const msg = MessageFactory.attachment(
        reviewRequestCard(this.services, step.context, app, {
          heading: 'Qualification review',
          hint: 'When your enterprise certification is complete, ask for the qualification review (guide 2.1 step 3).',
        }),
      );
      await step.context.sendActivity(msg);
      return step.endDialog();
    }
    if (app.status !== 'invited') {
      await step.context.sendActivity(statusMessage(app, 'partner', this.services.dates));
      return step.endDialog();
    }
    (step.values as { app?: unknown }).app = { id: app.id, version: app.version };
    return step.prompt(CODE, {
      prompt:
        'You passed the interview. Please type the invitation code your BD shared (for example ABCD-EFGH).',
      retryPrompt: 'An invitation code looks like ABCD-EFGH. Please type it again, or type **cancel**.',
    });
  }

  private async redeem(step: WaterfallStepContext) {
    const app = (step.values as { app: { id: string; version: number } }).app;
    return this.accept(step, app.id, app.version, String(step.result));
  }

  private async accept(step: WaterfallStepContext, id: string, version: number, code: string) {
    const user = this.user(step.context);
    const r = await this.services.workflow.act(user.userId, id, 'accept-invitation', version, {
      invitationCode: code.trim(),
    });
    if (r.ok) {
      await step.context.sendActivity('Invitation accepted. Now the application itself (guide 2.2).');
      return step.replaceDialog(DIALOG.application);
    }
    if (r.error.kind === 'http' && r.error.code === 'invalid_invitation_code') {
      await step.context.sendActivity(
        "That code doesn't match the invitation for your application. Check it with your BD and type it again.",
      );
      return step.replaceDialog(this.id);
    }
    if (r.error.kind === 'http' && r.error.code === 'invitation_expired') {
      await step.context.sendActivity(
        'That invitation code has expired. Please ask your BD to issue a new one.',
      );
      return step.endDialog();
    }
    await step.context.sendActivity(await this.runner.explain(user, id, 'accept-invitation', r.error));
    return step.endDialog();
  }
}
