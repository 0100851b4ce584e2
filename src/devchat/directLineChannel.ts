import { createHmac, randomBytes, randomUUID } from 'node:crypto';
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
  /** The newest activities in order; the watermark counts from the first ever, `dropped` of them gone. */
  activities: Partial<Activity>[];
  dropped: number;
  listeners: Set<Listener>;
  started: boolean;
  lastUsed: number;
}

/** How much one process keeps: a page left open, or a script calling in a loop, cannot fill the heap. */
export interface ChannelLimits {
  maxConversations: number;
  /** A conversation unused this long is forgotten (its token has expired by then). */
  maxIdleMs: number;
  maxActivities: number;
  now: () => number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  maxConversations: 1000,
  maxIdleMs: TOKEN_TTL_SECONDS * 1000,
  maxActivities: 1000,
  now: Date.now,
};

/**
 * The state of a local Direct Line 3.0 channel: conversations, their tokens and their
 * activity logs, in memory (a development instance is one process). Every activity gets
 * an id and a server timestamp; an update re-sends the activity under the same id.
 */
export class DirectLineChannel {
  /** In least recently used order: the first is the next to go. */
  private readonly conversations = new Map<string, DevConversation>();
  private readonly byToken = new Map<string, DevConversation>();
  private readonly limits: ChannelLimits;

  constructor(limits: Partial<ChannelLimits> = {}) {
    this.limits = { ...DEFAULT_CHANNEL_LIMITS, ...limits };
  }

  get size(): number {
    return this.conversations.size;
  }

  /** tokens/generate: a new conversation and its token, optionally for a known user. */
  generate(
    user?: ChannelAccount,
    locale?: string,
  ): { conversationId: string; token: string; expires_in: number } {
    this.evict();
    while (this.conversations.size >= this.limits.maxConversations) {
      this.forget(this.conversations.values().next().value!);
    }
    const id = randomUUID().replace(/-/g, '');
    const token = this.tokenFor(id, user?.id);
    const conversation: DevConversation = {
      id,
      token,
      user,
      locale,
      activities: [],
      dropped: 0,
      listeners: new Set(),
      started: false,
      lastUsed: this.limits.now(),
    };
    this.conversations.set(id, conversation);
    this.byToken.set(token, conversation);
    return { conversationId: id, token, expires_in: TOKEN_TTL_SECONDS };
  }

  /**
   * A token shaped as Azure's are: a JWT naming the conversation and the user it is bound to.
   * Web Chat reads the user from it (and takes a dl_ user id only from a token); the channel
   * itself knows its tokens by value, so the signature (a key of this process) is for show.
   */
  private tokenFor(conversationId: string, userId: string | undefined): string {
    const now = Math.floor(this.limits.now() / 1000);
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
      iss: 'dev-direct-line',
      conv: conversationId,
      ...(userId ? { user: userId } : {}),
      jti: randomBytes(12).toString('base64url'),
      nbf: now,
      exp: now + TOKEN_TTL_SECONDS,
    })}`;
    return `${body}.${createHmac('sha256', this.signingKey).update(body).digest('base64url')}`;
  }

  private readonly signingKey = randomBytes(32);

  byBearer(authorization: string | undefined): DevConversation | undefined {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    const conversation = token ? this.byToken.get(token) : undefined;
    return conversation && this.touch(conversation);
  }

  get(id: string): DevConversation | undefined {
    const conversation = this.conversations.get(id);
    return conversation && this.touch(conversation);
  }

  /** Marks a conversation used (the newest in line), or forgets it if it sat idle too long. */
  private touch(conversation: DevConversation): DevConversation | undefined {
    const now = this.limits.now();
    if (now - conversation.lastUsed > this.limits.maxIdleMs) {
      this.forget(conversation);
      return undefined;
    }
    conversation.lastUsed = now;
    this.conversations.delete(conversation.id);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** Drops conversations idle too long; they sit at the front, so this stops at the first live one. */
  private evict(): void {
    const cutoff = this.limits.now() - this.limits.maxIdleMs;
    for (const c of this.conversations.values()) {
      if (c.lastUsed >= cutoff) break;
      this.forget(c);
    }
  }

  private forget(conversation: DevConversation): void {
    this.conversations.delete(conversation.id);
    this.byToken.delete(conversation.token);
    conversation.listeners.clear();
  }

  /** Adds an activity (the user's echo or a bot reply): id, timestamp, then tells the listeners. */
  append(conversation: DevConversation, activity: Partial<Activity>): Partial<Activity> {
    const stored: Partial<Activity> = {
      ...activity,
      id: `${conversation.id}|${String(conversation.dropped + conversation.activities.length).padStart(7, '0')}`,
      timestamp: new Date(),
      conversation: { id: conversation.id } as Activity['conversation'],
      channelId: DEV_CHANNEL_ID,
    };
    conversation.activities.push(stored);
    const excess = conversation.activities.length - this.limits.maxActivities;
    if (excess > 0) {
      conversation.activities.splice(0, excess);
      conversation.dropped += excess;
    }
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
      activities: conversation.activities.slice(Math.max(0, from - conversation.dropped)),
      watermark: String(this.watermarkOf(conversation)),
    };
  }

  private watermarkOf(conversation: DevConversation): number {
    return conversation.dropped + conversation.activities.length;
  }

  private emit(conversation: DevConversation, activities: Partial<Activity>[]): void {
    for (const listen of conversation.listeners) listen(activities, this.watermarkOf(conversation));
  }
}
