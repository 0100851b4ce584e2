import type { StatePropertyAccessor } from '../../src/bot/framework';
import type { Status } from '../../src/workflow/machine';

/** What the bot remembers of a person across conversations (UserState, in the SQL store). */
export interface UserProfile {
  /** The application status the partner last saw from the bot, to tell them what changed since. */
  lastSeen?: { applicationId: string; status: Status };
}

export type UserProfileAccessor = StatePropertyAccessor<UserProfile>;
