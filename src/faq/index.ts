/** The FAQ answerer's public surface, for the bot and other callers. */
export { createFaqService, type CreateFaqServiceOptions } from './createFaqService';
export { FaqService, MAX_QUESTION_CHARS, type AskOptions, type FaqServiceDeps } from './faqService';
export {
  FaqLog,
  type FaqTables,
  type FeedbackInput,
  type FeedbackRecord,
  type FeedbackSummaryRow,
  type UnansweredInput,
  type UnansweredRecord,
} from './faqLog';
export { KnowledgeError, loadKnowledge, type Knowledge, type KnowledgeEntry } from './knowledge';
export {
  APPLICATION_STATUSES,
  type AnswerOptions,
  type ApplicationStatus,
  type AskerContext,
  type Citation,
  type FaqAnswer,
  type Suggestion,
} from './types';
