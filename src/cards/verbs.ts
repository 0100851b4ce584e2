/** Card verbs: what a button asks the bot to do. Card data always carries one. */
export const VERBS = {
  /** Take a workflow action; data carries action, applicationId, version and the inputs. */
  act: 'workflow.act',
  confirmCompany: 'application.confirmCompany',
  saveDraft: 'application.saveDraft',
  submitForm: 'application.submitForm',
  fillDecisionSheet: 'bd.fillDecisionSheet',
  open: 'application.open',
  refresh: 'card.refresh',
  feedback: 'faq.feedback',
  /** A partner hands an unanswered question to support. */
  handover: 'support.handover',
  /** Support's reply to a handed-over question. */
  handoverAnswer: 'support.answer',
  /** Support takes a ticket: the next thing they type answers it. */
  handoverClaim: 'support.claim',
  /** Support closes a ticket without an answer in chat (answered by phone, say). */
  handoverResolve: 'support.resolve',
  /** Support's list of open tickets and unanswered questions. */
  tickets: 'support.tickets',
  /** Support marks a question the guide could not answer as handled. */
  faqResolve: 'faq.resolve',
  /** Ask the guide a question (a "see also" entry); data carries `question`. */
  faqAsk: 'faq.ask',
  /** "Not now" on a confirmation: nothing is done. */
  notNow: 'confirm.notNow',
  /** The person chose the language the bot speaks; data carries `language`. */
  language: 'language.choose',
  /** A partner chose how they hear of their application; data carries `channels` (email | chat | both). */
  channels: 'notifications.choose',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

export interface CardData {
  verb: Verb;
  applicationId?: string;
  version?: number;
  action?: string;
  [input: string]: unknown;
}

export function cardDataOf(value: unknown): CardData | undefined {
  if (!value || typeof value !== 'object') return undefined;
  // Teams' Action.Execute nests the data under action.data.
  const v = value as { verb?: unknown; action?: { verb?: unknown; data?: Record<string, unknown> } };
  if (v.action && typeof v.action === 'object' && typeof v.action.verb === 'string') {
    return { ...(v.action.data ?? {}), verb: v.action.verb as Verb };
  }
  return typeof v.verb === 'string' ? (value as CardData) : undefined;
}
