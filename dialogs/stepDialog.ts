import { ComponentDialog, type DialogContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { currentApplication } from './helpers/currentApplication';
import { ActionRunner } from './helpers/actionRunner';
import { TURN_USER, type BotServices, type TurnUser } from './helpers/botServices';
import type { RenderContext } from '../src/cards/cardBuilder';
import type { CardData } from '../src/cards/verbs';
import type { ApplicationView } from '../src/workflow/schemas';

/** What a step dialog is started with: a card's data when a button was pressed. */
export interface StepOptions {
  card?: CardData;
  /** The activity id of the card pressed, so it can be updated in place. */
  cardActivityId?: string;
  query?: string;
  /** The partner's application as the router read it a moment ago in this same turn: no second read. */
  app?: ApplicationView;
}

/** Shared plumbing of the step dialogs: who is talking, their application, the runner. */
export abstract class StepDialog extends ComponentDialog {
  protected readonly runner: ActionRunner;

  constructor(
    id: string,
    protected readonly services: BotServices,
  ) {
    super(id);
    this.runner = new ActionRunner(services);
  }

  protected user(ctx: TurnContext): TurnUser {
    return ctx.turnState.get(TURN_USER) as TurnUser;
  }

  protected render(ctx: TurnContext, refreshUserIds?: string[]): RenderContext {
    return { channelId: ctx.activity.channelId, refreshUserIds };
  }

  /** The partner's current application: the newest that is not rejected, else the newest. */
  protected async myApplication(
    ctx: TurnContext,
    options?: StepOptions,
  ): Promise<ApplicationView | undefined | 'unavailable'> {
    if (options?.app) return options.app;
    const r = await this.services.workflow.list(this.user(ctx).userId);
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(this.user(ctx), '', 'register', r.error));
      return 'unavailable';
    }
    return currentApplication(r.value);
  }

  protected options(dc: DialogContext): StepOptions {
    return (dc.activeDialog?.state?.options ?? {}) as StepOptions;
  }
}
