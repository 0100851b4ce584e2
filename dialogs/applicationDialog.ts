import {
  MessageFactory,
  WaterfallDialog,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import formFields from '../src/cards/applicationFormFields.json';
import { fieldLabel } from '../src/cards/cardBuilder';
import { statusMessage } from '../src/cards/statusText';
import { trusted } from '../src/i18n/catalogue';
import { VERBS, type CardData } from '../src/cards/verbs';
import { applicationFieldShape, type ApplicationView, type FieldName } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import { fieldProblem, submitProblem } from './helpers/fieldProblems';
import { actionKey, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'application.flow';

/** Guide 2.2: confirm company information, basic information form, save, submit, withdraw. */
export class ApplicationDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.application, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [VERBS.confirmCompany]: (t) => this.confirmCompany(t),
      [VERBS.saveDraft]: (t) => this.saveForm(t.ctx, t.card, false),
      [VERBS.submitForm]: (t) => this.saveForm(t.ctx, t.card, true),
      [actionKey('submit')]: (t) => this.submitOrWithdraw(t, 'submit'),
      [actionKey('withdraw')]: (t) => this.submitOrWithdraw(t, 'withdraw'),
    };
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const app = await this.myApplication(step.context, options);
    if (app && app !== 'unavailable') await this.show(step.context, app, options.lead);
    return step.endDialog();
  }

  /** Re-entering shows the current node: the form while drafting, "please wait" under review. */
  async show(ctx: TurnContext, app: ApplicationView, lead?: string): Promise<void> {
    const cards = this.services.cards;
    const render = this.render(ctx);
    if (app.status === 'draft' && !app.companyInfoConfirmed) {
      await ctx.sendActivity(MessageFactory.attachment(cards.companyConfirmation(app, render), lead));
    } else if (app.status === 'draft') {
      await ctx.sendActivity(
        MessageFactory.attachment(cards.builder.basicInfoForm(app, {}, {}, render), lead),
      );
    } else if (app.status === 'submitted') {
      await ctx.sendActivity(MessageFactory.attachment(cards.underReview(app, render), lead));
    } else {
      await ctx.sendActivity(lead ?? statusMessage(app, 'partner', this.words(ctx)));
    }
  }

  private async confirmCompany({ ctx, user, card }: CardTurn): Promise<void> {
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      'update-application',
      Number(card.version),
      {
        companyInfoConfirmed: true,
      },
    );
    if (app) await this.show(ctx, app);
  }

  private async submitOrWithdraw(
    { ctx, user, card }: CardTurn,
    action: 'submit' | 'withdraw',
  ): Promise<void> {
    const app = await this.runner.run(ctx, user, String(card.applicationId), action, Number(card.version));
    if (app?.status === 'draft') {
      await ctx.sendActivity(this.words(ctx).t('application.withdrawn'));
      await this.show(ctx, app);
    } else if (app) {
      await ctx.sendActivity(this.submittedText(ctx, app));
    }
  }

  /**
   * Saves what is valid, keeps what the partner typed on the re-shown form, and names
   * each field to fix. Nothing typed is lost, even when a field is wrong.
   */
  private async saveForm(ctx: TurnContext, card: CardData, thenSubmit: boolean): Promise<void> {
    const user = this.user(ctx);
    const w = this.words(ctx);
    const cards = this.services.cards.builder;
    const current = await this.services.workflow.get(user.userId, String(card.applicationId));
    if (!current.ok) {
      await ctx.sendActivity(
        await this.runner.explain(ctx, user, String(card.applicationId), 'update-application', current.error),
      );
      return;
    }
    const typed: Record<string, string> = {};
    const changes: Record<string, unknown> = {};
    const errors: Record<string, string> = {};
    for (const f of formFields.fields) {
      const raw = typeof card[f.id] === 'string' ? (card[f.id] as string).trim() : '';
      typed[f.id] = raw;
      if (raw === '') continue;
      const value = f.kind === 'list' ? raw.split(/[\s,;，]+/).filter(Boolean) : raw;
      const parsed = applicationFieldShape[f.id as FieldName].safeParse(value);
      if (parsed.success) changes[f.id] = parsed.data;
      else
        errors[f.id] = w.plain('application.fieldProblem', {
          field: fieldLabel(f.id, w),
          problem: fieldProblem(f.id as FieldName, parsed.error.issues[0], w),
        });
    }
    let app = current.value;
    if (Object.keys(changes).length) {
      const r = await this.services.workflow.act(
        user.userId,
        app.id,
        'update-application',
        Number(card.version),
        changes as never,
      );
      if (!r.ok) {
        const message =
          r.error.kind === 'http' && r.error.status === 400
            ? r.error.message
            : await this.runner.explain(ctx, user, app.id, 'update-application', r.error);
        await ctx.sendActivity(
          MessageFactory.attachment(cards.basicInfoForm(app, typed, errors, this.render(ctx), message)),
        );
        return;
      }
      app = r.value;
    }
    if (Object.keys(errors).length) {
      await ctx.sendActivity(
        MessageFactory.attachment(
          cards.basicInfoForm(app, typed, errors, this.render(ctx), w.plain('application.savedPartly')),
        ),
      );
      return;
    }
    if (!thenSubmit) {
      const warnings = (app.warnings ?? []).map((x) => w.t('application.warning', { message: x.message }));
      await ctx.sendActivity(
        [
          w.t('application.draftSaved'),
          ...(warnings.length ? [w.t('application.pleaseCheck'), ...warnings] : []),
        ].join('\n\n'),
      );
      return;
    }
    const submitted = await this.services.workflow.act(user.userId, app.id, 'submit', app.version);
    if (submitted.ok) {
      await ctx.sendActivity(this.submittedText(ctx, submitted.value));
      return;
    }
    const problem =
      submitted.error.kind === 'http' && submitted.error.status === 400 ? submitted.error : undefined;
    if (problem) {
      const fields = (problem.details as { fields?: { field: string; message: string }[] })?.fields ?? [];
      const missing: Record<string, string> = {};
      const said: string[] = [];
      for (const p of fields) {
        const field = p.field.replace(/^payload\./, '');
        missing[field] = submitProblem(field, p.message, problem.code, w);
        said.push(
          w.plain('application.fieldProblem', { field: fieldLabel(field, w), problem: missing[field] }),
        );
      }
      const summary = said.length ? w.list(said, true) : problem.message;
      await ctx.sendActivity(
        MessageFactory.attachment(
          cards.basicInfoForm(
            app,
            typed,
            missing,
            this.render(ctx),
            w.plain('application.notSubmitted', { problems: summary }),
          ),
        ),
      );
      return;
    }
    await ctx.sendActivity(await this.runner.explain(ctx, user, app.id, 'submit', submitted.error));
  }

  private submittedText(ctx: TurnContext, app: ApplicationView): string {
    const w = this.words(ctx);
    return w.t('application.submitted', {
      due: w.date(app.dueDate),
      email: app.contactEmail ?? trusted(w.t('application.yourContactEmail')),
    });
  }
}
