import {
  MessageFactory,
  WaterfallDialog,
  type TurnContext,
  type WaterfallStepContext,
} from '../src/bot/framework';
import { md } from '../src/escape';
import { UPDATED_CARD } from '../src/cards/applicationCards';
import actionForms from '../src/cards/actionForms.json';
import { VERBS } from '../src/cards/verbs';
import { STATUS_INFO, TRANSITIONS, WAITING_ON_BD, type ActionName } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import type { BotServices } from './helpers/botServices';
import { actionKey, payloadFrom, type CardTable, type CardTurn } from './helpers/cardActions';
import { DIALOG } from './dialogIds';
import { StepDialog } from './stepDialog';

const FLOW = 'bd.flow';
const QUEUE_LIMIT = 10;
const BD_ACTIONS = TRANSITIONS.filter((t) => t.who === 'bd').map((t) => t.action);
const forms = actionForms as Record<string, { done?: string }>;

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
    const r = await this.services.workflow.list(user.userId, { status: [...WAITING_ON_BD], limit: 200 });
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(user, '', 'approve', r.error));
      return;
    }
    if (r.value.length === 0) {
      await ctx.sendActivity(
        'Nothing is waiting on you right now. I will tell you when an application needs you.',
      );
      return;
    }
    const shown = r.value.slice(0, QUEUE_LIMIT);
    const lines = r.value.map(
      (a, i) =>
        `${i + 1}. **${md(a.companyName)}**: ${STATUS_INFO[a.status].title}${a.dueDate ? `, due ${this.services.dates.date(a.dueDate)}${a.overdue ? ' (overdue)' : ''}` : ''}`,
    );
    await ctx.sendActivity(
      `${r.value.length} application(s) wait on you, oldest deadline first:\n\n${lines.join('\n')}`,
    );
    for (const app of shown) await this.sendCard(ctx, app);
  }

  private async open(ctx: TurnContext, id: string): Promise<void> {
    const r = await this.services.workflow.get(this.user(ctx).userId, id);
    if (r.ok) await this.sendCard(ctx, r.value);
    else await ctx.sendActivity(await this.runner.explain(this.user(ctx), id, 'approve', r.error));
  }

  private async sendCard(ctx: TurnContext, app: ApplicationView): Promise<void> {
    await ctx.sendActivity(MessageFactory.attachment(this.services.cards.bd(app, this.render(ctx))));
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
    ctx.turnState.set(
      UPDATED_CARD,
      mine
        ? this.services.cards.bd(r.value, render)
        : this.services.cards.staff(r.value, render, { withButtons: false }),
    );
  }

  private async decide({ ctx, user, card, cardActivityId }: CardTurn, action: ActionName): Promise<void> {
    const { payload, missing } = payloadFrom(action, card);
    if (action === 'reject' && (missing || payload.reason.length < 3)) {
      await ctx.sendActivity(
        'Please give the partner a reason for the rejection (open **Reject** again and fill in the reason).',
      );
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
        `Invitation issued. Share this code with the partner: **${String(app.invitationCode)}** (valid until ${this.services.dates.date(String(app.invitationExpiresAt ?? ''))}).`,
      );
    } else {
      await ctx.sendActivity(
        `Done: ${md(app.companyName)} ${forms[action]?.done ?? action}. The partner has been told.`,
      );
    }
    if (app.status === 'qualified') await this.sendCard(ctx, app);
  }

  private async fillDecisionSheet({ ctx, user, card, cardActivityId }: CardTurn): Promise<void> {
    const builder = this.services.cards.builder;
    const ids = builder.decisionSheetInputIds();
    const missing: string[] = [];
    const group = (name: 'basicInfo' | 'commissionPolicy') =>
      Object.fromEntries(
        ids[name].map((id) => {
          const v = card[`${name}.${id}`];
          const value = typeof v === 'string' ? v.trim() : '';
          if (!value) missing.push(builder.labelOf(name, id));
          return [id, value];
        }),
      );
    const payload = { basicInfo: group('basicInfo'), commissionPolicy: group('commissionPolicy') };
    if (missing.length) {
      await ctx.sendActivity(`Please fill in: ${missing.join(', ')}. Nothing was sent to the partner yet.`);
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
    await ctx.sendActivity(
      `Decision sheet sent to ${md(app.companyName)}: they confirm the business terms or ask for a modification.`,
    );
  }

  /** Shows everyone who decided and when, on the card that was pressed. */
  private async markDecided(
    ctx: TurnContext,
    app: ApplicationView,
    action: ActionName,
    cardActivityId?: string,
  ) {
    const user = this.user(ctx);
    const outcome = `${capitalize(forms[action]?.done ?? action)} by ${user.name ?? user.userId} on ${this.services.dates.date(app.updatedAt)}`;
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

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
