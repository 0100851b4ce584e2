import { ComponentDialog, type DialogContext, type TurnContext } from '../src/bot/framework';
import { renderFor, type RenderContext } from '../src/cards/cardBuilder';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { turnLanguage } from '../src/bot/turnLanguage';
import type { Wording } from '../src/i18n/catalogue';
import type { ApplicationView } from '../src/workflow/schemas';
import { ActionRunner } from './helpers/actionRunner';
import type { BotServices } from './helpers/botServices';
import type { CardTable } from './helpers/cardActions';
import { currentApplication } from './helpers/currentApplication';

/** What a step dialog is started with. */
export interface StepOptions {
  /** Support's lookup: what to look for. */
  query?: string;
  /** The partner's application as the router read it a moment ago in this same turn: no second read. */
  app?: ApplicationView;
  /** The router's "where you stand", said in the step's first message rather than a message of its own. */
  lead?: string;
}

/** Shared plumbing of the step dialogs: who is talking, their application, the runner, their card handlers. */
export abstract class StepDialog extends ComponentDialog {
  protected readonly runner: ActionRunner;

  constructor(
    id: string,
    protected readonly services: BotServices,
  ) {
    super(id);
    this.runner = new ActionRunner(services);
  }

  /** The card presses this step answers (MainDialog routes them here by verb and action). */
  cardHandlers(): CardTable {
    return {};
  }

  protected user(ctx: TurnContext): TurnUser {
    return ctx.turnState.get(TURN_USER) as TurnUser;
  }

  /** The router's lead (if any), then `text`, as one message's text. */
  protected led(options: StepOptions | undefined, text?: string): string {
    return [options?.lead, text].filter(Boolean).join('\n\n');
  }

  /** What the bot says in this turn, in the person's language. */
  protected words(ctx: TurnContext): Wording {
    return this.services.catalogue.in(turnLanguage(ctx));
  }

  protected render(ctx: TurnContext): RenderContext {
    return renderFor(ctx, this.words(ctx));
  }

  /** The partner's current application: the newest that is not rejected, else the newest. */
  protected async myApplication(
    ctx: TurnContext,
    options?: StepOptions,
  ): Promise<ApplicationView | undefined | 'unavailable'> {
    if (options?.app) return options.app;
    const r = await this.services.workflow.list(this.user(ctx).userId);
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(ctx, this.user(ctx), '', 'register', r.error));
      return 'unavailable';
    }
    return currentApplication(r.value);
  }

  protected options(dc: DialogContext): StepOptions {
    return (dc.activeDialog?.state?.options ?? {}) as StepOptions;
  }
}
