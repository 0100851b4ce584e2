import type { StatePropertyAccessor } from '../../src/bot/framework';

/** What the bot remembers of a person across conversations (UserState, in the SQL store). */
export interface UserProfile {
  /**
   * The application version the partner last heard about from the bot (in a reply or a
   * notification), to tell them only what others changed since.
   */
  lastSeen?: { applicationId: string; version?: number };
  /** A registration begun and not finished: what was typed, so cancel keeps it and start resumes. */
  registration?: { certified?: boolean; companyName?: string; mainUid?: string };
}

export type UserProfileAccessor = StatePropertyAccessor<UserProfile>;
