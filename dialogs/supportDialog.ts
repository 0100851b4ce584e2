import { MessageFactory, WaterfallDialog, type WaterfallStepContext } from '../src/bot/framework';
import type { BotServices } from './helpers/botServices';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';
import { mailProblemsOf } from './helpers/mailProblems';
import { worded, WordedTextPrompt } from './helpers/wordedPrompts';

const QUERY = 'support.query';
const FLOW = 'support.flow';

/** Support staff: look up any application by company name or id, with status, deadline and history. */
export class SupportDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.support, services);
    this.addDialog(
      new WordedTextPrompt(
        QUERY,
        services.catalogue,
        async (p) => p.recognized.succeeded && (p.recognized.value ?? '').trim().length >= 2,
      ),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.ask.bind(this), this.lookup.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async ask(step: WaterfallStepContext) {
    const { query } = step.options as StepOptions;
    if (query) return step.next(query);
    return step.prompt(QUERY, worded('support.which.prompt', 'support.which.retry'));
  }

  private async lookup(step: WaterfallStepContext) {
    const query = String(step.result).trim();
    const user = this.user(step.context);
    const byId = await this.services.workflow.get(user.userId, query);
    const found = byId.ok ? [byId.value] : [];
    if (!found.length) {
      const r = await this.services.workflow.list(user.userId, { q: query, limit: 5 });
      if (r.ok) found.push(...r.value);
    }
    if (!found.length) {
      await step.context.sendActivity(this.words(step.context).t('support.noMatch', { query }));
      return step.endDialog();
    }
    for (const app of found) {
      const history = await this.services.workflow.history(user.userId, app.id);
      await step.context.sendActivity(
        MessageFactory.attachment(
          this.services.cards.staff(app, this.render(step.context), {
            withButtons: false,
            history: history.ok ? history.value : [],
            mailProblems: await mailProblemsOf(this.services, app.id),
          }),
        ),
      );
    }
    return step.endDialog();
  }
}
