import type { TurnContext } from '../../src/bot/framework';
import { turnLanguage } from '../../src/bot/turnLanguage';
import { actionDone, actionLabel } from '../../src/cards/cardBuilder';
import { statusTitle } from '../../src/cards/statusText';
import { trusted, type Wording } from '../../src/i18n/catalogue';
import type { ActionName } from '../../src/workflow/machine';
import type { ApplicationView } from '../../src/workflow/schemas';
import type { WorkflowError } from '../../src/workflow/workflowClient';
import type { TurnUser } from '../../src/bot/userIdentity';
import type { BotServices } from './botServices';

/**
 * Takes one workflow action for the user and, when it fails, tells them in one
 * sentence what happened and what to do. A second click or a second BD hears who
 * already decided; nothing is ever done twice because the version travels with it.
 */
export class ActionRunner {
  constructor(private readonly services: BotServices) {}

  async run(
    ctx: TurnContext,
    user: TurnUser,
    applicationId: string,
    action: Exclude<ActionName, 'register'>,
    version: number,
    payload: Record<string, unknown> = {},
  ): Promise<ApplicationView | undefined> {
    const r = await this.services.workflow.act(user.userId, applicationId, action, version, payload as never);
    if (r.ok) return r.value;
    await ctx.sendActivity(await this.explain(ctx, user, applicationId, action, r.error));
    return undefined;
  }

  /** What went wrong, in the person's language (the API's own message is quoted where it says more). */
  async explain(
    ctx: TurnContext,
    user: TurnUser,
    applicationId: string,
    action: ActionName,
    error: WorkflowError,
  ): Promise<string> {
    const w = this.services.catalogue.in(turnLanguage(ctx));
    if (error.kind !== 'http') {
      this.services.log.warn({ kind: error.kind, action }, 'workflow call failed');
      return w.t('errors.unreachable');
    }
    switch (error.status) {
      case 400:
        return w.t('errors.badInput', { message: error.message });
      case 403:
        return w.t(user.role === 'partner' ? 'errors.onlyBd' : 'errors.onlyPartner', {
          action: actionLabel(action, w),
        });
      case 404:
        return w.t('errors.notFound');
      case 409:
      case 422:
        return this.alreadyDone(w, user, applicationId, action, error.message);
      default:
        return w.t('errors.failed', { message: error.message });
    }
  }

  /** Tells who moved the application on first, e.g. "Already approved by bd-alice on 26 Nov 2026." */
  private async alreadyDone(
    w: Wording,
    user: TurnUser,
    id: string,
    action: ActionName,
    fallback: string,
  ): Promise<string> {
    const [app, history] = await Promise.all([
      this.services.workflow.get(user.userId, id),
      this.services.workflow.history(user.userId, id),
    ]);
    if (!app.ok) return w.t('errors.nothingChanged', { message: fallback });
    const last = history.ok ? history.value[history.value.length - 1] : undefined;
    const step = trusted(statusTitle(app.value.status, w));
    if (last && last.action === action) {
      return w.t('errors.alreadyDone', {
        done: trusted(actionDone(action, w)),
        actor: last.actor,
        date: w.date(last.occurredAt),
        step,
      });
    }
    return w.t('errors.outOfDate', { step });
  }
}
