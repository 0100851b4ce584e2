import { WaterfallDialog, type TurnContext, type WaterfallStepContext } from '../src/bot/framework';
import formFields from '../src/cards/applicationFormFields.json';
import { fieldLabel } from '../src/cards/cardBuilder';
import { statusMessage } from '../src/cards/statusText';
import { trusted } from '../src/i18n/catalogue';
import { VERBS } from '../src/cards/verbs';
import { applicationFieldShape, type ApplicationView, type FieldName } from '../src/workflow/schemas';
import type { WorkflowError } from '../src/workflow/workflowClient';
import type { BotServices } from './helpers/botServices';
import { apiProblems, fieldProblem, submitProblem } from './helpers/fieldProblems';
import { actionKey, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'application.flow';
/** A form pressed after its application moved on: answered as the workflow answers a stale version. */
const STALE: WorkflowError = { kind: 'http', status: 409, code: 'stale_card', message: 'stale card' };

/** Guide 2.2: confirm company information, basic information form, save, submit, withdraw; and applying again. */
export class ApplicationDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.application, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    return {
      [VERBS.confirmCompany]: (t) => this.confirmCompany(t),
      [VERBS.saveDraft]: (t) => this.saveForm(t, false),
      [VERBS.submitForm]: (t) => this.saveForm(t, true),
      [actionKey('submit')]: (t) => this.submitOrWithdraw(t, 'submit'),
      [actionKey('withdraw')]: (t) => this.submitOrWithdraw(t, 'withdraw'),
      [actionKey('reapply')]: (t) => this.reapply(t),
    };
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const app = await this.myApplication(step.context, options);
    if (app && app !== 'unavailable') await this.show(step.context, app, options.lead);
    return step.endDialog();
  }

  /** Re-entering shows the current node: the form while drafting, "please wait" under review, the way back after a rejection. */
  async show(ctx: TurnContext, app: ApplicationView, lead?: string): Promise<void> {
    const cards = this.services.cards;
    const render = this.render(ctx);
    const about = { app, kind: 'partner' as const };
    if (app.status === 'draft' && !app.companyInfoConfirmed) {
      await this.post.send(ctx, cards.companyConfirmation(app, render), { text: lead, about });
    } else if (app.status === 'draft') {
      await this.post.send(ctx, cards.builder.basicInfoForm(app, {}, {}, render), { text: lead, about });
    } else if (app.status === 'submitted') {
      await this.post.send(ctx, cards.underReview(app, render), { text: lead, about });
    } else if (app.status === 'rejected') {
      await this.post.send(ctx, cards.rejected(app, render), {
        text: lead ?? statusMessage(app, 'partner', this.words(ctx)),
        about: app.closed ? undefined : about,
      });
    } else {
      await ctx.sendActivity(lead ?? statusMessage(app, 'partner', this.words(ctx)));
    }
  }

  /** Guide 2.2 step 1, from the card or typed ("confirm"): then the basic information form. */
  async confirmCompany({ ctx, user, card, cardActivityId }: CardTurn): Promise<void> {
    const w = this.words(ctx);
    const current = await this.services.workflow.get(user.userId, String(card.applicationId));
    if (!current.ok) {
      await ctx.sendActivity(
        await this.runner.explain(ctx, user, String(card.applicationId), 'update-application', current.error),
      );
      return;
    }
    let app = current.value;
    if (app.status !== 'draft') {
      await ctx.sendActivity(await this.runner.explain(ctx, user, app.id, 'update-application', STALE));
      return;
    }
    if (!app.companyInfoConfirmed) {
      const r = await this.runner.run(ctx, user, app.id, 'update-application', app.version, {
        companyInfoConfirmed: true,
      });
      if (!r) return;
      app = r;
    }
    const who = user.name?.trim() || w.plain('people.thePartner');
    const outcome = w.plain('cards.company.confirmedOutcome', { who, date: w.date(app.updatedAt) });
    const done = this.services.cards.partnerSummary(app, this.render(ctx), {
      outcome,
      heading: w.plain('cards.company.heading'),
    });
    if (!(await this.post.replace(ctx, cardActivityId, done))) await this.post.replaceCopies(ctx, app, done);
    await this.show(ctx, app);
  }

  private async submitOrWithdraw(turn: CardTurn, action: 'submit' | 'withdraw'): Promise<void> {
    const app = await this.actOnCard(turn, action);
    if (app?.status === 'draft') {
      await turn.ctx.sendActivity(this.words(turn.ctx).t('application.withdrawn'));
      await this.show(turn.ctx, app);
    } else if (app) {
      await turn.ctx.sendActivity(this.submittedText(turn.ctx, app));
    }
  }

  /** Applying again after a rejection: the form opens with everything typed and the BD's reason. */
  private async reapply(turn: CardTurn): Promise<void> {
    const app = await this.actOnCard(turn, 'reapply');
    if (!app) return;
    await turn.ctx.sendActivity(this.words(turn.ctx).t('application.reopened'));
    await this.show(turn.ctx, app);
  }

  /**
   * Saves what is valid, keeps what the partner typed, and names each field to fix; with
   * `thenSubmit`, submits once everything is there. Both buttons act on the draft as it is now
   * (the partner is its only editor), so Save then Submit on the same card works. The card is
   * updated in place: the form again after a save, its read-only summary once submitted.
   */
  private async saveForm(turn: CardTurn, thenSubmit: boolean): Promise<void> {
    const { ctx, user, card, cardActivityId } = turn;
    const w = this.words(ctx);
    const builder = this.services.cards.builder;
    const current = await this.services.workflow.get(user.userId, String(card.applicationId));
    if (!current.ok) {
      await ctx.sendActivity(
        await this.runner.explain(ctx, user, String(card.applicationId), 'update-application', current.error),
      );
      return;
    }
    let app = current.value;
    if (app.status !== 'draft') {
      await ctx.sendActivity(
        await this.runner.explain(ctx, user, app.id, thenSubmit ? 'submit' : 'update-application', STALE),
      );
      await this.retireStale(turn);
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
      if (parsed.success) {
        if (JSON.stringify(parsed.data) !== JSON.stringify((app as Record<string, unknown>)[f.id]))
          changes[f.id] = parsed.data;
      } else
        errors[f.id] = w.plain('application.fieldProblem', {
          field: fieldLabel(f.id, w),
          problem: fieldProblem(f.id as FieldName, parsed.error.issues[0], w),
        });
    }
    /** The form again, in place of the pressed one (or as a new message where it cannot be replaced). */
    const showForm = async (
      errs: Record<string, string>,
      formError?: string,
      notice?: string,
      keep = typed,
    ) => {
      const form = builder.basicInfoForm(app, keep, errs, this.render(ctx), formError, notice);
      const about = { app, kind: 'partner' as const };
      if (!(await this.post.replace(ctx, cardActivityId, form, about)))
        await this.post.send(ctx, form, { about });
    };
    if (Object.keys(changes).length) {
      const r = await this.services.workflow.act(
        user.userId,
        app.id,
        'update-application',
        app.version,
        changes as never,
      );
      if (!r.ok) {
        const message =
          r.error.kind === 'http' && r.error.status === 400
            ? w.plain('application.notSaved', { problems: apiProblems(r.error, w) })
            : await this.runner.explain(ctx, user, app.id, 'update-application', r.error);
        await showForm(errors, message);
        return;
      }
      app = r.value;
    }
    if (Object.keys(errors).length) {
      await showForm(errors, w.plain('application.savedPartly'));
      if (cardActivityId) await ctx.sendActivity(w.t('application.fixMarked'));
      return;
    }
    if (!thenSubmit) {
      const warnings = (app.warnings ?? []).map((x) => w.t('application.warning', { message: x.message }));
      await showForm({}, undefined, w.plain('application.savedNotice', { date: w.date(app.updatedAt) }), {});
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
      await this.post.replace(ctx, cardActivityId, await this.doneCard(ctx, 'submit', submitted.value));
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
        missing[field] = submitProblem(field, problem.code, w);
        said.push(
          w.plain('application.fieldProblem', { field: fieldLabel(field, w), problem: missing[field] }),
        );
      }
      const summary = said.length ? w.list(said, true) : apiProblems(problem, w);
      await showForm(missing, w.plain('application.notSubmitted', { problems: summary }));
      if (cardActivityId) await ctx.sendActivity(w.t('application.fixMarked'));
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
