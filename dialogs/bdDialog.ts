import {
  MessageFactory,
  WaterfallDialog,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { UPDATED_CARD } from '../src/cards/applicationCards';
import { actionDone, actionOutcome } from '../src/cards/cardBuilder';
import { statusTitle } from '../src/cards/statusText';
import { trusted } from '../src/i18n/catalogue';
import { VERBS } from '../src/cards/verbs';
import { TRANSITIONS, WAITING_ON_BD, type ActionName } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import { actionKey, payloadFrom, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';
import { mailProblemsOf } from './helpers/mailProblems';

const FLOW = 'bd.flow';
const QUEUE_LIMIT = 10;
const BD_ACTIONS = TRANSITIONS.filter((t) => t.who === 'bd').map((t) => t.action);

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
      [VERBS.refresh]: (t) => this.refresh(t.ctx, String(t.card.applicationId)),
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
        step: trusted(statusTitle(a.status, w)),
        due: w.date(a.dueDate),
      }),
    );
    await ctx.sendActivity(w.t('bd.queueHeading', { n: r.value.length, lines: trusted(lines.join('\n')) }));
    for (const app of shown) await this.sendCard(ctx, app);
  }

  private async open(ctx: TurnContext, id: string): Promise<void> {
    const r = await this.services.workflow.get(this.user(ctx).userId, id);
    if (r.ok) await this.sendCard(ctx, r.value);
    else await ctx.sendActivity(await this.runner.explain(ctx, this.user(ctx), id, 'approve', r.error));
  }

  private async sendCard(ctx: TurnContext, app: ApplicationView): Promise<void> {
    const problems = await mailProblemsOf(this.services, app.id);
    await ctx.sendActivity(
      MessageFactory.attachment(this.services.cards.bd(app, this.render(ctx), undefined, problems)),
    );
  }

  /**
   * Teams' refresh (refresh.userIds): the card as it stands now, so a BD opening an old
   * card sees the current buttons, or none once someone decided. Says nothing in chat.
   */
  private async refresh(ctx: TurnContext, id: string): Promise<void> {
    const user = this.user(ctx);
    const r = await this.services.workflow.get(user.userId, id);
    if (!r.ok) return;
    const mine = user.role === 'bd' || user.role === 'admin';
    const render = this.render(ctx);
    const mailProblems = await mailProblemsOf(this.services, id);
    ctx.turnState.set(
      UPDATED_CARD,
      mine
        ? this.services.cards.bd(r.value, render, undefined, mailProblems)
        : this.services.cards.staff(r.value, render, { withButtons: false, mailProblems }),
    );
  }

  private async decide({ ctx, user, card, cardActivityId }: CardTurn, action: ActionName): Promise<void> {
    const w = this.words(ctx);
    const { payload, missing } = payloadFrom(action, card);
    if (action === 'reject' && (missing || payload.reason.length < 3)) {
      await ctx.sendActivity(w.t('bd.rejectNeedsReason'));
      return;
    }
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      action as Exclude<ActionName, 'register'>,
      Number(card.version),
      payload,
    );
    if (!app) return;
    await this.markDecided(ctx, app, action, cardActivityId);
    if (action === 'invite' || action === 'reissue-invitation') {
      await ctx.sendActivity(
        w.t('bd.invitationIssued', {
          code: String(app.invitationCode),
          expires: w.date(String(app.invitationExpiresAt ?? '')),
        }),
      );
    } else {
      await ctx.sendActivity(
        w.t('bd.done', { company: app.companyName, done: trusted(actionDone(action, w)) }),
      );
    }
    if (app.status === 'qualified') await this.sendCard(ctx, app);
  }

  private async fillDecisionSheet({ ctx, user, card, cardActivityId }: CardTurn): Promise<void> {
    const builder = this.services.cards.builder;
    const w = this.words(ctx);
    const ids = builder.decisionSheetInputIds();
    const missing: string[] = [];
    const group = (name: 'basicInfo' | 'commissionPolicy') =>
      Object.fromEntries(
        ids[name].map((id) => {
          const v = card[`${name}.${id}`];
          const value = typeof v === 'string' ? v.trim() : '';
          if (!value) missing.push(builder.labelOf(name, id, w));
          return [id, value];
        }),
      );
    const payload = { basicInfo: group('basicInfo'), commissionPolicy: group('commissionPolicy') };
    if (missing.length) {
      await ctx.sendActivity(w.t('bd.fillIn', { fields: w.list(missing) }));
      return;
    }
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      'fill-decision-sheet',
      Number(card.version),
      payload,
    );
    if (!app) return;
    await this.markDecided(ctx, app, 'fill-decision-sheet', cardActivityId);
    await ctx.sendActivity(w.t('bd.decisionSheetSent', { company: app.companyName }));
  }

  /** Shows everyone who decided and when, on the card that was pressed. */
  private async markDecided(
    ctx: TurnContext,
    app: ApplicationView,
    action: ActionName,
    cardActivityId?: string,
  ) {
    const user = this.user(ctx);
    const outcome = actionOutcome(action, user.name ?? user.userId, app.updatedAt, this.words(ctx));
    const updated = this.services.cards.staff(app, this.render(ctx), { withButtons: false, outcome });
    ctx.turnState.set(UPDATED_CARD, updated);
    if (cardActivityId && ctx.activity.type === 'message') {
      try {
        await ctx.updateActivity({ id: cardActivityId, type: 'message', attachments: [updated] });
      } catch (err) {
        this.services.log.debug({ err }, 'card update not supported by channel');
      }
    }
  }
}
