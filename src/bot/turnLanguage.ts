import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DEFAULT_LANGUAGE, isLanguage, languageOf, type Language } from '../i18n/language';
import type { BotStateStore } from './botStateStore';
import type { StoredReference } from './conversationReferenceStore';

/** Where this turn's language sits in `ctx.turnState`, once resolved. */
export const TURN_LANGUAGE = Symbol('turnLanguage');

/** This turn's language: as resolved at the turn's start, else the activity's locale (dialog unit tests). */
export function turnLanguage(ctx: TurnContext): Language {
  return (ctx.turnState.get(TURN_LANGUAGE) as Language | undefined) ?? languageOf(ctx.activity.locale);
}

/**
 * A person's language (DESIGN.md): the one they chose in chat, remembered in their user
 * state, else their channel's locale. The same reading serves a proactive turn, whose
 * activity is built from the stored conversation reference: its `from` is the person (so
 * their user state is found) and its `locale` the one their last message carried.
 */
export class LanguagePreference {
  private readonly chosen: StatePropertyAccessor<Language | undefined>;

  constructor(private readonly state: BotStateStore) {
    this.chosen = state.property<Language | undefined>('user', 'language');
  }

  /** Resolves the turn's language and keeps it in the turn state for everything that speaks in it. */
  async resolve(ctx: TurnContext): Promise<Language> {
    const chosen = hasUserKey(ctx) ? await this.chosen.get(ctx) : undefined;
    const language = isLanguage(chosen) ? chosen : languageOf(ctx.activity.locale);
    ctx.turnState.set(TURN_LANGUAGE, language);
    return language;
  }

  /**
   * A person's language outside a turn (an e-mail): read from their newest stored conversation
   * reference exactly as a proactive turn there would read it (their user state, else the
   * reference's locale). Someone the bot never talked to hears the default, English.
   */
  async ofReference(where: StoredReference | undefined): Promise<Language> {
    if (!where) return DEFAULT_LANGUAGE;
    const channelUserId = where.reference.user?.id;
    const chosen = channelUserId
      ? (await this.state.userStateOf(where.channelId, channelUserId)).language
      : undefined;
    return isLanguage(chosen) ? chosen : languageOf(where.reference.locale);
  }

  /** The person chose a language in chat: it holds from this turn on, over their locale. */
  async choose(ctx: TurnContext, language: Language): Promise<void> {
    if (hasUserKey(ctx)) await this.chosen.set(ctx, language);
    ctx.turnState.set(TURN_LANGUAGE, language);
  }
}

/** User state is keyed by channel and sender; a conversation opened by the bot may have neither. */
function hasUserKey(ctx: TurnContext): boolean {
  return Boolean(ctx.activity.channelId && ctx.activity.from?.id);
}
