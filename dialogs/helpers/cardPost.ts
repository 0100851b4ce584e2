import { MessageFactory, type Attachment, type TurnContext } from '../../src/bot/framework';
import { TURN_USER, type TurnUser } from '../../src/bot/userIdentity';
import { UPDATED_CARD, type CardKind } from '../../src/cards/applicationCards';
import type { BotServices } from './botServices';

/** Which application (and version) a card with buttons is about, and what it becomes once acted on. */
export interface CardAbout {
  app: { id: string; version: number };
  kind: CardKind;
}

/**
 * Cards in the chat: sent and remembered (so every copy can be retired later), or put in
 * place of the card that was pressed (Web Chat: the activity is updated; Teams: the invoke's
 * answer carries the card, which Teams shows in its place).
 */
export class CardPost {
  constructor(private readonly services: BotServices) {}

  /** Sends a card, with text if given; a card with buttons about an application is remembered. */
  async send(
    ctx: TurnContext,
    card: Attachment,
    opts: { text?: string; about?: CardAbout } = {},
  ): Promise<void> {
    const sent = await ctx.sendActivity(MessageFactory.attachment(card, opts.text));
    if (opts.about && sent?.id) await this.remember(ctx, sent.id, opts.about);
  }

  /**
   * Puts `card` where the pressed card was. Returns false when the channel cannot (no activity
   * id to update): the caller then sends what the person needs to see as a new message.
   */
  async replace(
    ctx: TurnContext,
    cardActivityId: string | undefined,
    card: Attachment,
    about?: CardAbout,
  ): Promise<boolean> {
    ctx.turnState.set(UPDATED_CARD, card);
    const conversationId = ctx.activity.conversation?.id;
    if (ctx.activity.type === 'invoke') {
      if (cardActivityId && conversationId) await this.track(ctx, cardActivityId, about);
      return true;
    }
    if (!cardActivityId || ctx.activity.type !== 'message') return false;
    try {
      await ctx.updateActivity({ id: cardActivityId, type: 'message', attachments: [card] });
    } catch (err) {
      this.services.log.debug({ err }, 'card update not supported by channel');
      return false;
    }
    await this.track(ctx, cardActivityId, about);
    return true;
  }

  /**
   * A step taken in words: the cards this person holds for the application in this conversation
   * (built for an older version) are replaced by `card`, as pressing one of them would have.
   */
  async replaceCopies(
    ctx: TurnContext,
    app: { id: string; version: number },
    card: Attachment,
  ): Promise<void> {
    const conversationId = ctx.activity.conversation?.id;
    const user = ctx.turnState.get(TURN_USER) as TurnUser | undefined;
    if (!conversationId || !user) return;
    const copies = await this.services.copies.olderThan(app.id, app.version);
    for (const copy of copies.filter(
      (c) => c.conversationId === conversationId && c.userId === user.userId,
    )) {
      try {
        await ctx.updateActivity({ id: copy.activityId, type: 'message', attachments: [card] });
      } catch (err) {
        this.services.log.debug({ err }, 'card update not supported by channel');
      }
      await this.services.copies.forget(conversationId, copy.activityId);
    }
  }

  /** The replaced card is still live (a form saved, shown again) or it is done with. */
  private async track(ctx: TurnContext, activityId: string, about?: CardAbout): Promise<void> {
    const conversationId = ctx.activity.conversation?.id;
    if (!conversationId) return;
    if (about) await this.remember(ctx, activityId, about);
    else await this.services.copies.forget(conversationId, activityId);
  }

  private async remember(ctx: TurnContext, activityId: string, about: CardAbout): Promise<void> {
    const conversationId = ctx.activity.conversation?.id;
    const user = ctx.turnState.get(TURN_USER) as TurnUser | undefined;
    if (!conversationId || !user) return;
    await this.services.copies.record({
      conversationId,
      activityId,
      subjectId: about.app.id,
      userId: user.userId,
      kind: about.kind,
      version: about.app.version,
    });
  }
}
