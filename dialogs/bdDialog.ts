import { WaterfallDialog, type TurnContext, type WaterfallStepContext } from '../src/bot/framework';
import { UPDATED_CARD } from '../src/cards/applicationCards';
import { actionDone } from '../src/cards/cardBuilder';
import { statusTitle } from '../src/cards/statusText';
import { trusted } from '../src/i18n/catalogue';
import { VERBS } from '../src/cards/verbs';
import { DECISION_SHEET_GROUPS, ENTRY_SHAPES, entriesOf } from '../src/workflow/decisionSheet';
import { TRANSITIONS, WAITING_ON_BD, type ActionName } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import { actionKey, payloadFrom, type CardTable, type CardTurn } from './helpers/cardActions';
import { entryProblem } from './helpers/fieldProblems';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';
import { mailProblemsOf } from './helpers/mailProblems';

const FLOW = 'bd.flow';
const QUEUE_LIMIT = 10;
const BD_ACTIONS = TRANSITIONS.filter((t) => t.who === 'bd').map((t) => t.action);
/** A BD's no: the partner reads the reason, so one is needed. */
const NEEDS_REASON: ReadonlySet<ActionName> = new Set(['reject', 'decline']);

/** The BD's desk: the queue (oldest deadline first), review cards, decision sheet, contract, ACPN. */
export class BdDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.bd, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  override cardHandlers(): CardTable {
    const table: CardTable = {
      [VERBS.fillDecisionSheet]: (t) => this.fillDecisionSheet(t),
      [VERBS.open]: (t) => this.open(t.ctx, String(t.card.applicationId)),
      [VERBS.refresh]: (t) => this.refresh(t),
    };
    for (const action of BD_ACTIONS) {
      if (action !== 'fill-decision-sheet') table[actionKey(action)] = (t) => this.decide(t, action);
    }
    return table;
  }

  private async start(step: WaterfallStepContext) {
    await this.queue(step.context);
    return step.endDialog();
  }

  async queue(ctx: TurnContext): Promise<void> {
    const user = this.user(ctx);
    const w = this.words(ctx);
    const r = await this.services.workflow.list(user.userId, { status: [...WAITING_ON_BD], limit: 200 });
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(ctx, user, '', 'approve', r.error));
      return;
    }
    if (r.value.length === 0) {
      await ctx.sendActivity(w.t('bd.nothingWaiting'));
      return;
    }
    const shown = r.value.slice(0, QUEUE_LIMIT);
    const lines = r.value.map((a, i) =>
      w.t(!a.dueDate ? 'bd.queueLine' : a.overdue ? 'bd.queueLineOverdue' : 'bd.queueLineDue', {
        i: i + 1,
        company: a.companyName,
        step: trusted(statusTitle(a.status, w, 'staff')),
        due: w.date(a.dueDate),
      }),
    );
    await ctx.sendActivity(w.t('bd.queueHeading', { n: r.value.length, lines: trusted(lines.join('\n')) }));
    for (const app of shown) await this.sendCard(ctx, app);
  }

  /** "Open the application" (from a hand-over or a list): the BD's card, or support's read-only view with history. */
  private async open(ctx: TurnContext, id: string): Promise<void> {
    const user = this.user(ctx);
    const r = await this.services.workflow.get(user.userId, id);
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(ctx, user, id, 'approve', r.error));
      return;
    }
    if (user.role === 'bd' || user.role === 'admin') {
      await this.sendCard(ctx, r.value);
      return;
    }
    const history = await this.services.workflow.history(user.userId, id);
    const entries = history.ok ? history.value : [];
    const people = await this.services.people.book([r.value.bdUserId, ...entries.map((h) => h.actor)]);
    await ctx.sendActivity({
      type: 'message',
      attachments: [
        this.services.cards.staff(r.value, this.render(ctx), {
          withButtons: false,
          history: entries,
          people,
        }),
      ],
    });
  }

  async sendCard(ctx: TurnContext, app: ApplicationView): Promise<void> {
    const people = await this.services.people.book([app.bdUserId]);
    const problems = await mailProblemsOf(this.services, app.id);
    const card = this.services.cards.bd(app, this.render(ctx), undefined, people, problems);
    await this.post.send(ctx, card, { about: { app, kind: 'staff' } });
  }

  /**
   * Teams' refresh (refresh.userIds): the card as it stands now. A card still current keeps its
   * buttons; one that is out of date reads who decided and when, with none. Says nothing in chat.
   */
  private async refresh({ ctx, user, card }: CardTurn): Promise<void> {
    const id = String(card.applicationId);
    const r = await this.services.workflow.get(user.userId, id);
    if (!r.ok) return;
    const mine = user.role === 'bd' || user.role === 'admin';
    const render = this.render(ctx);
    if (Number(card.version) === r.value.version || !Number.isFinite(Number(card.version))) {
      const people = await this.services.people.book([r.value.bdUserId]);
      const mailProblems = await mailProblemsOf(this.services, id);
      ctx.turnState.set(
        UPDATED_CARD,
        mine
          ? this.services.cards.bd(r.value, render, undefined, people, mailProblems)
          : this.services.cards.staff(r.value, render, { withButtons: false, people, mailProblems }),
      );
      return;
    }
    const stale = await this.runner.staleCard(ctx, user, id);
    if (stale) ctx.turnState.set(UPDATED_CARD, stale);
  }

  private async decide(turn: CardTurn, action: ActionName): Promise<void> {
    const { ctx, card } = turn;
    const w = this.words(ctx);
    const { payload, missing } = payloadFrom(action, card);
    if (NEEDS_REASON.has(action) && (missing || String(payload.reason).length < 3)) {
      await ctx.sendActivity(w.t(action === 'decline' ? 'bd.declineNeedsReason' : 'bd.rejectNeedsReason'));
      return;
    }
    const app = await this.actOnCard(turn, action as Exclude<ActionName, 'register'>, payload);
    if (!app) return;
    if (action === 'invite' || action === 'reissue-invitation') {
      await ctx.sendActivity(
        w.t('bd.invitationIssued', {
          code: String(app.invitationCode),
          expires: w.date(String(app.invitationExpiresAt ?? '')),
        }),
      );
    } else {
      const told = NEEDS_REASON.has(action) && app.closed ? 'bd.doneClosed' : 'bd.done';
      await ctx.sendActivity(w.t(told, { company: app.companyName, done: trusted(actionDone(action, w)) }));
    }
    if (app.status === 'qualified') await this.sendCard(ctx, app);
  }

  /**
   * The decision sheet, each entry checked by its kind (a real date, a percentage, a currency)
   * with the rule the workflow applies; what is wrong is named by its label, and the form comes
   * back with what was typed. Nothing reaches the partner until every entry is right.
   */
  private async fillDecisionSheet(turn: CardTurn): Promise<void> {
    const { ctx, user, card, cardActivityId } = turn;
    const builder = this.services.cards.builder;
    const w = this.words(ctx);
    const typed: Record<string, string> = {};
    const errors: Record<string, string> = {};
    const missing: string[] = [];
    const payload: Record<string, Record<string, unknown>> = {};
    for (const group of DECISION_SHEET_GROUPS) {
      payload[group] = {};
      for (const entry of entriesOf(group)) {
        const id = `${group}.${entry.id}`;
        const v = card[id];
        const value = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
        typed[id] = value;
        const label = builder.labelOf(group, entry.id, w);
        if (!value) {
          if (!entry.optional) {
            missing.push(label);
            errors[id] = w.plain('application.fieldProblem', {
              field: label,
              problem: w.plain('validation.empty'),
            });
          }
          continue;
        }
        const parsed = ENTRY_SHAPES[entry.kind].safeParse(value);
        if (parsed.success) payload[group][entry.id] = parsed.data;
        else
          errors[id] = w.plain('application.fieldProblem', {
            field: label,
            problem: entryProblem(entry.kind, w),
          });
      }
    }
    const id = String(card.applicationId);
    if (Object.keys(errors).length) {
      const current = await this.services.workflow.get(user.userId, id);
      const said = missing.length
        ? w.t('bd.fillIn', { fields: w.list(missing) })
        : w.t('bd.fixEntries', {
            problems: trusted(
              w.list(
                Object.values(errors).map((e) => w.t('common.quoted', { text: e })),
                true,
              ),
            ),
          });
      await ctx.sendActivity(said);
      if (current.ok) {
        const form = builder.decisionSheetForm(current.value, this.render(ctx), typed, errors);
        const about = { app: current.value, kind: 'staff' as const };
        if (!(await this.post.replace(ctx, cardActivityId, form, about)))
          await this.post.send(ctx, form, { about });
      }
      return;
    }
    const app = await this.actOnCard(turn, 'fill-decision-sheet', payload);
    if (!app) return;
    await ctx.sendActivity(w.t('bd.decisionSheetSent', { company: app.companyName }));
  }
}
