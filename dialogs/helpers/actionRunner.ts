import type { Attachment, TurnContext } from '../../src/bot/framework';
import { turnLanguage } from '../../src/bot/turnLanguage';
import { actionDone, actionLabel, actionOutcome, renderFor } from '../../src/cards/cardBuilder';
import { statusTitle } from '../../src/cards/statusText';
import { trusted, type Wording } from '../../src/i18n/catalogue';
import type { ActionName } from '../../src/workflow/machine';
import type { ApplicationView, HistoryEntry } from '../../src/workflow/schemas';
import type { WorkflowError } from '../../src/workflow/workflowClient';
import type { TurnUser } from '../../src/bot/userIdentity';
import type { NameBook } from '../../src/bot/peopleDirectory';
import type { BotServices } from './botServices';
import { apiProblems } from './fieldProblems';

/**
 * Takes one workflow action for the user and, when it fails, tells them in one
 * sentence what happened and what to do. A second click or a second BD hears who
 * already decided, by name; nothing is ever done twice because the version travels with it.
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

  /** What went wrong, in the person's language, in their words (fields by label, people by name). */
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
        return w.t('errors.badInput', { problems: trusted(apiProblems(error, w, action)) });
      case 403:
        return w.t(user.role === 'partner' ? 'errors.onlyBd' : 'errors.onlyPartner', {
          action: actionLabel(action, w),
        });
      case 404:
        return w.t('errors.notFound');
      case 409:
      case 422:
        if (error.code === 'application_closed') return w.t('errors.closedForGood');
        if (error.code === 'declined_at_review') return w.t('errors.declinedAtReview');
        return (await this.alreadyDone(w, user, applicationId, action)) ?? w.t('errors.nothingChanged');
      default:
        return w.t('errors.failed');
    }
  }

  /**
   * Who moved the application on first and when, e.g. "Already approved by Alice Chen on
   * 26 Nov 2026", or "Already submitted by you on …" to the person who did it.
   */
  private async alreadyDone(
    w: Wording,
    user: TurnUser,
    id: string,
    action: ActionName,
  ): Promise<string | undefined> {
    const decided = await this.lastDecision(user, id);
    if (!decided) return undefined;
    const { app, last, people } = decided;
    const step = trusted(statusTitle(app.status, w, user.role === 'partner' ? 'partner' : 'staff'));
    if (last && last.action === action) {
      return w.t('errors.alreadyDone', {
        done: trusted(actionDone(action, w)),
        actor: people.label(last.actor, w, user.userId),
        date: w.date(last.occurredAt),
        step,
      });
    }
    if (last) {
      return w.t('errors.decidedMeanwhile', {
        outcome: actionOutcome(
          last.action,
          people.label(last.actor, w, user.userId),
          last.occurredAt,
          w,
          false,
        ),
        step,
      });
    }
    return w.t('errors.outOfDate', { step });
  }

  /**
   * The application now and its last change, as a stale card is replaced with: what happened,
   * by whom (named for this reader), when.
   */
  async lastDecision(
    user: TurnUser,
    id: string,
  ): Promise<{ app: ApplicationView; last?: HistoryEntry; people: NameBook } | undefined> {
    const [app, history] = await Promise.all([
      this.services.workflow.get(user.userId, id),
      this.services.workflow.history(user.userId, id),
    ]);
    if (!app.ok) return undefined;
    const last = history.ok ? history.value.at(-1) : undefined;
    const people = await this.services.people.book([last?.actor, app.value.bdUserId]);
    return { app: app.value, last, people };
  }

  /** The card a stale press is replaced with: the application as it is, with its last change and no buttons. */
  async staleCard(ctx: TurnContext, user: TurnUser, id: string): Promise<Attachment | undefined> {
    const decided = await this.lastDecision(user, id);
    if (!decided?.last) return undefined;
    const w = this.services.catalogue.in(turnLanguage(ctx));
    // A card is a record everyone reads alike: people by name, never "you".
    const outcome = actionOutcome(
      decided.last.action,
      decided.people.label(decided.last.actor, w),
      decided.last.occurredAt,
      w,
    );
    const kind = user.role === 'partner' ? 'partner' : 'staff';
    return this.services.cards.retired(kind, decided.app, renderFor(ctx, w), outcome, decided.people);
  }
}
