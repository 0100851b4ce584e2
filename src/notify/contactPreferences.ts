import type { Store } from '../db/database';

/** How a person wants to hear of their application. */
export const CHANNEL_CHOICES = ['email', 'chat', 'both'] as const;
export type ChannelChoice = (typeof CHANNEL_CHOICES)[number];

/** Until a partner chooses: both, as the guide promises e-mails and the chat carries the cards. */
export const DEFAULT_CHOICE: ChannelChoice = 'both';

export function isChannelChoice(value: unknown): value is ChannelChoice {
  return typeof value === 'string' && (CHANNEL_CHOICES as readonly string[]).includes(value);
}

/**
 * A partner's choice of e-mail, chat or both (made in chat: `notifications`), in the SQL store
 * every instance shares, read by the notifier for each event: a change holds from the next one.
 */
export class ContactPreferences {
  constructor(private readonly store: Store) {}

  async get(userId: string): Promise<ChannelChoice> {
    const row = await this.store.db
      .selectFrom('contact_preferences')
      .select('channels')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return isChannelChoice(row?.channels) ? row.channels : DEFAULT_CHOICE;
  }

  async set(userId: string, choice: ChannelChoice): Promise<void> {
    const now = new Date().toISOString();
    await this.store.db
      .insertInto('contact_preferences')
      .values({ user_id: userId, channels: choice, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ channels: choice, updated_at: now }))
      .execute();
  }
}
