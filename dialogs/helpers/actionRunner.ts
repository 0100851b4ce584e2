import type { TurnContext } from '../../src/bot/framework';
import { md } from '../../src/escape';
import { STATUS_INFO, type ActionName } from '../../src/workflow/machine';
import type { ApplicationView } from '../../src/workflow/schemas';
import type { WorkflowError } from '../../src/workflow/workflowClient';
import actionForms from '../../src/cards/actionForms.json';
import type { TurnUser } from '../../src/bot/userIdentity';
import type { BotServices } from './botServices';

const forms = actionForms as Record<string, { label: string; done?: string }>;

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
    await ctx.sendActivity(await this.explain(user, applicationId, action, r.error));
    return undefined;
  }

  async explain(
    user: TurnUser,
    applicationId: string,
    action: ActionName,
    error: WorkflowError,
  ): Promise<string> {
    if (error.kind !== 'http') {
      this.services.log.warn({ kind: error.kind, action }, 'workflow call failed');
      return "I couldn't reach the onboarding service just now, so nothing was changed. Please try again in a minute.";
    }
    switch (error.status) {
      case 400:
        return `Please fix this and try again: ${error.message}`;
      case 403:
        return `Only ${user.role === 'partner' ? 'a BD' : 'the partner'} can do that ("${forms[action]?.label ?? action}").`;
      case 404:
        return "I can't find that application. Type **status** to see yours.";
      case 409:
      case 422:
        return this.alreadyDone(user, applicationId, action, error.message);
      default:
        return `That didn't work (${error.message}). Nothing was changed.`;
    }
  }

  /** Tells who moved the application on first, e.g. "Already approved by bd-alice on 26 Nov 2026." */
  private async alreadyDone(
    user: TurnUser,
    id: string,
    action: ActionName,
    fallback: string,
  ): Promise<string> {
    const [app, history] = await Promise.all([
      this.services.workflow.get(user.userId, id),
      this.services.workflow.history(user.userId, id),
    ]);
    if (!app.ok) return `Nothing was changed: ${fallback}`;
    const last = history.ok ? history.value[history.value.length - 1] : undefined;
    const status = STATUS_INFO[app.value.status].title;
    if (last && last.action === action) {
      const done = forms[action]?.done ?? action;
      return `Already ${done} by ${md(last.actor)} on ${this.services.dates.date(last.occurredAt)}. Nothing was changed; the application is now at "${status}".`;
    }
    return `This card is out of date: the application is now at "${status}", so nothing was changed. Type **status** for what to do next.`;
  }
}
