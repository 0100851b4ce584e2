import { ComponentDialog, type DialogContext, type TurnContext } from '../src/bot/framework';
import { actionOutcome, renderFor, type RenderContext } from '../src/cards/cardBuilder';
import { TURN_USER, type TurnUser } from '../src/bot/userIdentity';
import { turnLanguage } from '../src/bot/turnLanguage';
import type { Wording } from '../src/i18n/catalogue';
import type { ActionName } from '../src/workflow/machine';
import type { ApplicationView } from '../src/workflow/schemas';
import { ActionRunner } from './helpers/actionRunner';
import type { BotServices } from './helpers/botServices';
import type { CardTable, CardTurn } from './helpers/cardActions';
import { CardPost } from './helpers/cardPost';
import { currentApplication } from './helpers/currentApplication';

/** What a step dialog is started with. */
export interface StepOptions {
  /** Support's lookup: what to look for. */
  query?: string;
  /** Support's free text: look it up only if an application matches, else answer it as a question. */
  orQuestion?: boolean;
  /** The partner's application as the router read it a moment ago in this same turn: no second read. */
  app?: ApplicationView;
  /** The router's "where you stand", said in the step's first message rather than a message of its own. */
  lead?: string;
}

/** Shared plumbing of the step dialogs: who is talking, their application, the runner, their card handlers. */
export abstract class StepDialog extends ComponentDialog {
  protected readonly runner: ActionRunner;
  protected readonly post: CardPost;

  constructor(
    id: string,
    protected readonly services: BotServices,
  ) {
    super(id);
    this.runner = new ActionRunner(services);
    this.post = new CardPost(services);
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

  /**
   * Takes a card's action; on success the pressed card becomes its read-only summary (every
   * other copy follows when the change is dispatched). A stale press is told who decided and
   * when, and its card too loses its buttons.
   */
  protected async actOnCard(
    turn: CardTurn,
    action: Exclude<ActionName, 'register'>,
    payload: Record<string, unknown> = {},
    version = Number(turn.card.version),
  ): Promise<ApplicationView | undefined> {
    const { ctx, user, card, cardActivityId } = turn;
    const id = String(card.applicationId);
    const r = await this.services.workflow.act(user.userId, id, action, version, payload as never);
    if (!r.ok) {
      await ctx.sendActivity(await this.runner.explain(ctx, user, id, action, r.error));
      if (r.error.kind === 'http' && (r.error.status === 409 || r.error.status === 422))
        await this.retireStale(turn);
      return undefined;
    }
    await this.post.replace(ctx, cardActivityId, await this.doneCard(ctx, action, r.value));
    return r.value;
  }

  /**
   * A card pressed after someone else acted: it loses its buttons and says who decided and
   * when. Teams answers the press with the message saying so (its refresh brings the card up
   * to date); Web Chat's copy is updated in place.
   */
  protected async retireStale({ ctx, user, card, cardActivityId }: CardTurn): Promise<void> {
    if (ctx.activity.type === 'invoke') return;
    const stale = await this.runner.staleCard(ctx, user, String(card.applicationId));
    if (stale) await this.post.replace(ctx, cardActivityId, stale);
  }

  /**
   * What a card becomes once its action was taken: "Approved by Alice Chen on …", no buttons.
   * A card is a record everyone reads alike, so the person who acted is named too, not "you".
   */
  protected async doneCard(ctx: TurnContext, action: ActionName, app: ApplicationView) {
    const user = this.user(ctx);
    const w = this.words(ctx);
    const people = await this.services.people.book([app.bdUserId, user.userId]);
    const who = user.name?.trim() || people.label(user.userId, w);
    const outcome = actionOutcome(action, who, app.updatedAt, w);
    const kind = user.role === 'partner' ? 'partner' : 'staff';
    return this.services.cards.retired(kind, app, this.render(ctx), outcome, people);
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
