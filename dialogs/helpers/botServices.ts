import type { ApplicationCards, MailProblem } from '../../src/cards/applicationCards';
import type { CardCopies } from '../../src/bot/cardCopies';
import type { PeopleDirectory } from '../../src/bot/peopleDirectory';
import type { LanguagePreference } from '../../src/bot/turnLanguage';
import type { Catalogue } from '../../src/i18n/catalogue';
import type { FaqAnswer, AnswerOptions } from '../../src/faq/types';
import type { UnansweredRecord } from '../../src/faq/faqLog';
import type { Logger } from '../../src/logger';
import type { ContactPreferences } from '../../src/notify/contactPreferences';
import type { SupportHandover } from '../../src/notify/supportHandover';
import type { RoleDirectory } from '../../src/roles';
import type { WorkflowClient } from '../../src/workflow/workflowClient';
import type { UserProfileAccessor } from './userProfile';

/** Answers questions from the onboarding guide (src/faq's FaqService); keeps unanswered ones and feedback. */
export interface QuestionAnswerer {
  answer(
    question: string,
    options?: AnswerOptions & {
      askedBy?: string;
      channel?: string;
      inlineSource?: boolean;
      inlineNext?: boolean;
      recordUnanswered?: boolean;
    },
  ): Promise<FaqAnswer>;
  /** Whether the asker's own application matters to this question; absent means always fetch it. */
  wantsContext?(question: string): boolean;
  recordFeedback(input: {
    question: string;
    entryId?: string | null;
    helpful: boolean;
    userId?: string | null;
    channel?: string | null;
  }): Promise<void>;
  /** Questions nobody has answered yet, oldest first (support's list); absent without a store. */
  openQuestions?(limit?: number): Promise<UnansweredRecord[]>;
  /** Marks one handled; false when it was already. */
  resolveQuestion?(id: string, by: string, resolution?: string): Promise<boolean>;
}

/** Everything the dialogs need, handed in once (app.ts) so tests can build the real thing. */
export interface BotServices {
  workflow: WorkflowClient;
  faq: QuestionAnswerer;
  cards: ApplicationCards;
  roles: RoleDirectory;
  /** Every sentence the bot says, in English and Simplified Chinese, with dates as each language writes them. */
  catalogue: Catalogue;
  /** The language each person is spoken to in (their choice in chat, else their locale). */
  languages: LanguagePreference;
  log: Logger;
  /** Hands unanswered questions to support staff as tickets, and relays their answers. */
  handover: Pick<
    SupportHandover,
    'ask' | 'answer' | 'claim' | 'resolve' | 'openTickets' | 'ticket' | 'latestFor' | 'card'
  >;
  /** What people are called (their display names), never their ids. */
  people: PeopleDirectory;
  /** Where each card with buttons was sent, to replace every copy once it is acted on. */
  copies: CardCopies;
  /** The person's memory across conversations (UserState); absent in dialog unit tests. */
  profile?: UserProfileAccessor;
  /** How partners hear of their application (e-mail, chat, both) and the e-mails that failed; absent in dialog unit tests. */
  contact?: ContactServices;
}

export interface ContactServices {
  preferences: Pick<ContactPreferences, 'get' | 'set'>;
  /** Whether e-mail is on (SMTP_URL, or kept on a development instance). */
  emailOn: boolean;
  /** E-mails about an application that could not be delivered, for the staff card. */
  problems(applicationId: string): Promise<MailProblem[]>;
}
