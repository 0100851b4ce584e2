import { STATUSES, type Status } from '../workflow/machine';
import type { Language } from './language';

/** The statuses of DESIGN.md's onboarding state machine: the workflow's own list, not a copy. */
export const APPLICATION_STATUSES = STATUSES;
export type ApplicationStatus = Status;

/** What the bot knows about the asker's own application; lets an answer speak to their situation. */
export interface AskerContext {
  status: ApplicationStatus;
  /** ISO-8601 timestamp (or Date) of the last status change. */
  statusSince: string | Date;
  /** ISO-8601 timestamp (or Date) by which the BD must act, when the status has a deadline. */
  dueDate?: string | Date | null;
  overdue?: boolean;
  companyName?: string | null;
}

/** A guide entry an answer relies on. */
export interface Citation {
  id: string;
  title: string;
}

export interface Suggestion extends Citation {
  /** `next`: the following step in the guide; `related`: a related section or FAQ. */
  kind: 'next' | 'related';
}

/**
 * One answer, shaped for the bot and the command line alike.
 * `answered: false` means the assistant abstains: `answer` then says so and who to ask,
 * and `didYouMean` may offer the closest sections when the question was ambiguous.
 */
export interface FaqAnswer {
  question: string;
  answered: boolean;
  answer: string;
  citations: Citation[];
  /** 0..1: how well the question's terms are covered by the cited section and how clearly it wins. */
  confidence: number;
  suggestions?: Suggestion[];
  didYouMean?: Citation[];
  /** Which path wrote the answer. */
  source: 'extractive' | 'llm';
  /** The language the answer is written in: the question's. */
  language: Language;
}

export interface AnswerOptions {
  context?: AskerContext;
}
