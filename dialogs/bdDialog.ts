import { MessageFactory, type TurnContext } from 'botbuilder';
import { WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { bdCard, staffCard, UPDATED_CARD } from '../src/cards/applicationCards';
import type { BotServices } from './helpers/botServices';
import actionForms from '../src/cards/actionForms.json';
import { VERBS, type CardData } from '../src/cards/verbs';
import { STATUS_INFO, STATUSES, TRANSITIONS, type ActionName } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'bd.flow';
const QUEUE_LIMIT = 10;
/** The statuses where the next move is the BD's, from the machine table. */
const WAITING_ON_BD = STATUSES.filter((s) => STATUS_INFO[s].waitingOn === 'bd');
const BD_ACTIONS = TRANSITIONS.filter((t) => t.who === 'bd').map((t) => t.action);
const forms = actionForms as Record<string, { done?: string }>;

/** The BD's desk: the queue (oldest deadline first), review cards, decision sheet, contract, ACPN. */
export class BdDialog extends StepDialog {
  static readonly actions = BD_ACTIONS;
  static readonly verbs = [VERBS.fillDecisionSheet, VERBS.open, VERBS.refresh];

  constructor(services: BotServices) {
    super(DIALOG.bd, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    const { card, cardActivityId } = step.options as StepOptions;
    if (card?.verb === VERBS.act && card.action) await this.decide(step.context, card, cardActivityId);
    else if (card?.verb === VERBS.fillDecisionSheet)
      await this.fillDecisionSheet(step.context, card, cardActivityId);
    else if (card?.verb === VERBS.open) await this.open(step.context, String(card.applicationId));
    else if (card?.verb === VERBS.refresh) await this.refresh(step.context, String(card.applicationId));
    else await this.queue(step.context);
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
        `${i + 1}. **${a.companyName}**: ${STATUS_INFO[a.status].title}${a.dueDate ? `, due ${this.services.dates.date(a.dueDate)}${a.overdue ? ' (overdue)' : ''}` : ''}`,
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
    await ctx.sendActivity(MessageFactory.attachment(this.cardFor(ctx, app)));
  }

  private cardFor(ctx: TurnContext, app: ApplicationView) {
    return bdCard(this.services, ctx, app);
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
    ctx.turnState.set(
      UPDATED_CARD,
      mine ? this.cardFor(ctx, r.value) : staffCard(this.services, ctx, r.value, { withButtons: false }),
    );
  }

  private async decide(ctx: TurnContext, card: CardData, cardActivityId?: string): Promise<void> {
    const action = card.action as Exclude<ActionName, 'register'>;
    if (!BD_ACTIONS.includes(action)) return;
    const payload: Record<string, unknown> = {};
    if (action === 'reject') {
      const reason = typeof card.reason === 'string' ? card.reason.trim() : '';
      if (reason.length < 3) {
        await ctx.sendActivity(
          'Please give the partner a reason for the rejection (open **Reject** again and fill in the reason).',
        );
        return;
      }
      payload.reason = reason;
    }
    if (action === 'approve' && typeof card.comment === 'string' && card.comment.trim())
      payload.comment = card.comment.trim();
    if (
      action === 'record-contract-signed' &&
      typeof card.contractId === 'string' &&
      card.contractId.trim()
    ) {
      payload.contractId = card.contractId.trim();
    }
    const user = this.user(ctx);
    const app = await this.runner.run(
      ctx,
      user,
      String(card.applicationId),
      action,
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
        `Done: ${app.companyName} ${forms[action]?.done ?? action}. The partner has been told.`,
      );
    }
    if (app.status === 'qualified') await this.sendCard(ctx, app);
  }

  private async fillDecisionSheet(ctx: TurnContext, card: CardData, cardActivityId?: string): Promise<void> {
    const ids = this.services.cards.decisionSheetInputIds();
    const missing: string[] = [];
    const group = (name: 'basicInfo' | 'commissionPolicy') =>
      Object.fromEntries(
        ids[name].map((id) => {
          const v = card[`${name}.${id}`];
          const value = typeof v === 'string' ? v.trim() : '';
          if (!value) missing.push(this.services.cards.labelOf(name, id));
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
      this.user(ctx),
      String(card.applicationId),
      'fill-decision-sheet',
      Number(card.version),
      payload,
    );
    if (!app) return;
    await this.markDecided(ctx, app, 'fill-decision-sheet', cardActivityId);
    await ctx.sendActivity(
      `Decision sheet sent to ${app.companyName}: they confirm the business terms or ask for a modification.`,
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
    const updated = staffCard(this.services, ctx, app, { withButtons: false, outcome });
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
