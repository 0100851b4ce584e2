import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity, ChannelAccount } from '../bot/framework';

/** The bot as the local channel shows it. */
export const BOT_ACCOUNT: ChannelAccount = {
  id: 'onboarding-bot',
  name: 'Onboarding assistant',
  role: 'bot',
};
/** Activities carry this channel id: the dialogs send Action.Submit cards to it (Web Chat has no Action.Execute). */
export const DEV_CHANNEL_ID = 'webchat';
const TOKEN_TTL_SECONDS = 3600;

/** Something watching a conversation (a Web Chat WebSocket): gets each activity as it is added or updated. */
export type Listener = (activities: Partial<Activity>[], watermark: number) => void;

export interface DevConversation {
  id: string;
  token: string;
  user?: ChannelAccount;
  /** The client's locale, given when the token was generated: the join activity carries it, as Teams' do. */
  locale?: string;
  /** Activities in order; the watermark is an index into this list. */
  activities: Partial<Activity>[];
  listeners: Set<Listener>;
  started: boolean;
}

/**
 * The state of a local Direct Line 3.0 channel: conversations, their tokens and their
 * activity logs, in memory (a development instance is one process). Every activity gets
 * an id and a server timestamp; an update re-sends the activity under the same id.
 */
export class DirectLineChannel {
  private readonly conversations = new Map<string, DevConversation>();
  private readonly byToken = new Map<string, DevConversation>();

  /** tokens/generate: a new conversation and its token, optionally for a known user. */
  generate(
    user?: ChannelAccount,
    locale?: string,
  ): { conversationId: string; token: string; expires_in: number } {
    const id = randomUUID().replace(/-/g, '');
    const token = randomBytes(24).toString('base64url');
    const conversation: DevConversation = {
      id,
      token,
      user,
      locale,
      activities: [],
      listeners: new Set(),
      started: false,
    };
    this.conversations.set(id, conversation);
    this.byToken.set(token, conversation);
    return { conversationId: id, token, expires_in: TOKEN_TTL_SECONDS };
  }

  byBearer(authorization: string | undefined): DevConversation | undefined {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    return token ? this.byToken.get(token) : undefined;
  }

  get(id: string): DevConversation | undefined {
    return this.conversations.get(id);
  }

  /** Adds an activity (the user's echo or a bot reply): id, timestamp, then tells the listeners. */
  append(conversation: DevConversation, activity: Partial<Activity>): Partial<Activity> {
    const stored: Partial<Activity> = {
      ...activity,
      id: `${conversation.id}|${String(conversation.activities.length).padStart(7, '0')}`,
      timestamp: new Date(),
      conversation: { id: conversation.id } as Activity['conversation'],
      channelId: DEV_CHANNEL_ID,
    };
    conversation.activities.push(stored);
    this.emit(conversation, [stored]);
    return stored;
  }

  /** A bot's card update: replaces the stored activity and sends it again under its id. */
  update(conversation: DevConversation, id: string, activity: Partial<Activity>): boolean {
    const index = conversation.activities.findIndex((a) => a.id === id);
    if (index < 0) return false;
    const existing = conversation.activities[index];
    // Keep where it sits in the thread: an update's replyToId is the adapter's internal event, and
    // Web Chat orders by timestamp (a new one would move the replaced card to the bottom).
    const updated = {
      ...existing,
      ...activity,
      id,
      replyToId: existing.replyToId,
      timestamp: existing.timestamp,
    };
    conversation.activities[index] = updated;
    this.emit(conversation, [updated]);
    return true;
  }

  delete(conversation: DevConversation, id: string): boolean {
    const index = conversation.activities.findIndex((a) => a.id === id);
    if (index < 0) return false;
    conversation.activities[index] = { ...conversation.activities[index], type: 'messageDelete', text: '' };
    return true;
  }

  /** Activities after `watermark` (polling) and the new watermark. */
  since(
    conversation: DevConversation,
    watermark: number,
  ): { activities: Partial<Activity>[]; watermark: string } {
    const from = Number.isFinite(watermark) && watermark >= 0 ? watermark : 0;
    return {
      activities: conversation.activities.slice(from),
      watermark: String(conversation.activities.length),
    };
  }

  private emit(conversation: DevConversation, activities: Partial<Activity>[]): void {
    for (const listen of conversation.listeners) listen(activities, conversation.activities.length);
  }
}
