import type { FaqAnswer, AnswerOptions } from '../../src/faq/types';
import type { Logger } from '../../src/logger';
import type { SupportHandover } from '../../src/notify/supportHandover';
import type { Role, RoleDirectory } from '../../src/roles';
import type { WorkflowClient } from '../../src/workflow/workflowClient';
import type { CardBuilder } from '../../src/cards/cardBuilder';
import type { DateFormatter } from '../../src/cards/statusText';

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
}

/** Everything the dialogs need, handed in once so tests can build the real thing. */
export interface BotServices {
  workflow: WorkflowClient;
  faq: QuestionAnswerer;
  cards: CardBuilder;
  roles: RoleDirectory;
  dates: DateFormatter;
  log: Logger;
  /** Hands unanswered questions to support staff and relays their answers. */
  handover?: Pick<SupportHandover, 'ask' | 'answer'>;
}

/** Who is talking, resolved from the stable channel user id at the start of each turn. */
export interface TurnUser {
  userId: string;
  role: Role;
  channelId: string;
  name?: string;
}

export const TURN_USER = Symbol('turnUser');
