import type { Logger } from '../logger';
import type { ContextSentences } from './askerContext';
import { cite, type ExtractiveAnswerer, type ExtractiveOptions, type Retrieval } from './extractiveAnswerer';
import type { FaqLog, FeedbackInput, UnansweredRecord } from './faqLog';
import type { KnowledgeEntry } from './knowledge';
import type { LlmAnswerer } from './llmAnswerer';
import type { FaqAnswer } from './types';

export interface AskOptions extends ExtractiveOptions {
  /** The asker's channel user id: stored with an unanswered question so support can follow up. */
  askedBy?: string;
  channel?: string;
  /** False when the text may not be a question at all (typed while a card waits): do not queue it for support. */
  recordUnanswered?: boolean;
}

export interface FaqServiceDeps {
  extractive: ExtractiveAnswerer;
  contextSentences: ContextSentences;
  /** Present when OPENAI_API_KEY is set. */
  llm?: LlmAnswerer;
  /** Present when a SQL store is available: unanswered questions and feedback are kept there. */
  log?: FaqLog;
  logger?: Logger;
}

/** Questions longer than this are cut before answering: nobody asks a FAQ in 1000 characters. */
export const MAX_QUESTION_CHARS = 1000;
/** Passages the LLM sees: the best match and close runners-up. */
const MAX_PASSAGES = 3;
const RUNNER_UP_SHARE = 0.5;
/** Refusals the model may not overturn: nothing in the guide to show it, or a topic the guide does not cover. */
const FINAL_ABSTENTIONS = new Set(['no-terms', 'no-match', 'out-of-scope']);

/**
 * The FAQ answerer the bot and the command line use. Retrieval, the out-of-scope gate and
 * the injection cut are always local. With an LLM configured, the model writes the answer
 * from the best passages, for confident answers and for the uncertain cases too (a "did
 * you mean" choice, or a low-coverage refusal whose top three passages may still hold the
 * answer); its output is checked against the passages before it is shown, and the
 * extractive answer stands whenever the model fails, times out or breaks a rule. A question
 * that carried orders for the answerer never reaches the model: it is answered from the
 * guide only, or refused.
 */
export class FaqService {
  constructor(private readonly deps: FaqServiceDeps) {}

  get llmEnabled(): boolean {
    return this.deps.llm !== undefined;
  }

  async answer(question: string, options: AskOptions = {}): Promise<FaqAnswer> {
    const asked = question.trim();
    const text = asked.slice(0, MAX_QUESTION_CHARS);
    const retrieval = this.deps.extractive.retrieve(text);
    let answer = this.deps.extractive.compose(asked, retrieval, options);
    if (this.deps.llm && this.worthAsking(retrieval)) {
      answer = (await this.withLlm(asked, text, retrieval, options)) ?? answer;
    }
    if (!answer.answered && options.recordUnanswered !== false) await this.recordUnanswered(answer, options);
    return answer;
  }

  /**
   * Whether the asker's application could change the answer (a question about their own
   * progress). The bot fetches the application only then, saving a workflow call per question.
   */
  wantsContext(question: string): boolean {
    return this.deps.contextSentences.isProgressQuestion(question.slice(0, MAX_QUESTION_CHARS));
  }

  /** Offline only, synchronous: what the benchmark measures and what answers when no LLM is set. */
  answerOffline(question: string, options: ExtractiveOptions = {}): FaqAnswer {
    const asked = question.trim();
    return this.deps.extractive.compose(
      asked,
      this.deps.extractive.retrieve(asked.slice(0, MAX_QUESTION_CHARS)),
      options,
    );
  }

  /** Questions nobody has answered yet, oldest first, for support's list; none without a store. */
  async openQuestions(limit = 20): Promise<UnansweredRecord[]> {
    return (await this.deps.log?.listUnanswered({ oldestFirst: true, limit })) ?? [];
  }

  /** Support marks a question handled; false when it was already (or there is no store). */
  async resolveQuestion(id: string, by: string, resolution?: string): Promise<boolean> {
    return (await this.deps.log?.resolveUnanswered(id, { resolvedBy: by, resolution })) ?? false;
  }

  /** Stores "helpful / not helpful" for an answer; a no-op without a store. */
  async recordFeedback(input: FeedbackInput): Promise<void> {
    await this.deps.log?.recordFeedback(input);
  }

  private worthAsking(retrieval: Retrieval): boolean {
    if (retrieval.injected || retrieval.hits.length === 0) return false;
    const { decision } = retrieval;
    return decision.kind !== 'abstain' || !FINAL_ABSTENTIONS.has(decision.reason);
  }

  private async withLlm(
    asked: string,
    text: string,
    retrieval: Retrieval,
    options: AskOptions,
  ): Promise<FaqAnswer | undefined> {
    const passages = passagesFor(retrieval);
    const result = await this.deps.llm!.answer(text, passages);
    if (!result) return undefined;
    const { decision, language } = retrieval;
    if (result.refused) return { ...this.deps.extractive.abstention(asked, language), source: 'llm' };
    const byId = new Map(passages.map((p) => [p.id, p]));
    const cited = result.citations.map((id) => byId.get(id)!).filter(Boolean);
    const personal = this.deps.contextSentences.forQuestion(asked, options.context, language);
    return {
      question: asked,
      answered: true,
      answer: [...(personal ? [personal] : []), result.text].join('\n\n'),
      citations: cited.map(cite),
      // An uncertain case the model resolved is still uncertain evidence: the policy's figure stays.
      confidence: decision.confidence,
      suggestions: this.deps.extractive.suggestionsFor(cited[0], language),
      source: 'llm',
      language,
    };
  }

  private async recordUnanswered(answer: FaqAnswer, options: AskOptions): Promise<void> {
    if (!this.deps.log || !answer.question) return;
    try {
      await this.deps.log.recordUnanswered({
        question: answer.question,
        userId: options.askedBy,
        channel: options.channel,
        confidence: answer.confidence,
        didYouMean: answer.didYouMean?.map((c) => c.id),
      });
    } catch (err) {
      // Losing a log row must not lose the user's answer.
      this.deps.logger?.error(
        { err: (err as Error).message },
        'faq: could not record an unanswered question',
      );
    }
  }
}

function passagesFor(retrieval: Retrieval): KnowledgeEntry[] {
  const { decision, hits } = retrieval;
  if (decision.kind === 'didYouMean') return decision.choices.map((h) => h.entry);
  // Uncertain: the right passage is usually among the top three even when the first is not it.
  if (decision.kind === 'abstain') return hits.slice(0, MAX_PASSAGES).map((h) => h.entry);
  const top = hits[0];
  if (!top) return [];
  return hits
    .filter((h) => h.score >= RUNNER_UP_SHARE * top.score)
    .slice(0, MAX_PASSAGES)
    .map((h) => h.entry);
}
