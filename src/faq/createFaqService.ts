import type { Config } from '../config';
import type { Logger } from '../logger';
import { ContextSentences } from './askerContext';
import { buildOfflineFaq, type BuildOptions } from './buildAnswerer';
import { FaqLog } from './faqLog';
import { FaqService } from './faqService';
import { loadKnowledge, type Knowledge } from './knowledge';
import { LlmAnswerer, SYSTEM_INSTRUCTIONS, type AnswerCache } from './llmAnswerer';
import { AnswerChecker } from './answerCheck';

export interface CreateFaqServiceOptions {
  /** `config.openai`; the LLM path is used only when `apiKey` is set. */
  openai?: Config['openai'];
  /** Set false to answer offline even when a key is configured (e.g. `faq --offline`). */
  useLlm?: boolean;
  /** `config.keyvUrl`: where LLM answers are cached (in memory when unset). */
  keyvUrl?: string;
  /** Every Keyv call's budget with keyvUrl (`config.keyvTimeoutMs`). */
  keyvTimeoutMs?: number;
  /** A ready cache instead of keyvUrl (the app's Keyv namespace; tests). */
  cache?: AnswerCache;
  /** The SQL store's Kysely handle (`store.db`): unanswered questions and feedback are stored when given. */
  db?: ConstructorParameters<typeof FaqLog>[0];
  logger?: Logger;
  /** Business time zone for dates in personal sentences (`config.calendar.timeZone`). */
  timeZone?: string;
  knowledge?: Knowledge;
  knowledgeDir?: string;
  tuning?: Omit<BuildOptions, 'timeZone'>;
}

/** Builds the FAQ answerer from configuration: knowledge → offline pipeline → optional LLM, cache and log. */
export async function createFaqService(options: CreateFaqServiceOptions = {}): Promise<FaqService> {
  const knowledge = options.knowledge ?? loadKnowledge(options.knowledgeDir);
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const { answerer, tokenizer } = buildOfflineFaq(knowledge, { ...options.tuning, timeZone });

  let llm: LlmAnswerer | undefined;
  const openai = options.openai;
  if (openai?.apiKey && options.useLlm !== false) {
    // Loaded on demand: langchain and the Redis client cost start-up time the offline path never needs.
    const { createChatModel } = await import('./chatModel');
    const cache = options.cache ?? (await ownCache(options));
    llm = new LlmAnswerer({
      model: createChatModel({ ...openai, apiKey: openai.apiKey }),
      modelName: openai.model,
      timeoutMs: openai.timeoutMs,
      cache,
      logger: options.logger,
      checker: new AnswerChecker(tokenizer, knowledge.scope.modelOutput, SYSTEM_INSTRUCTIONS),
    });
  }

  return new FaqService({
    extractive: answerer,
    contextSentences: new ContextSentences(knowledge.answering, { timeZone }),
    llm,
    log: options.db ? new FaqLog(options.db) : undefined,
    logger: options.logger,
  });
}

/** A cache of its own (the FAQ command line): the Keyv store at keyvUrl, bounded like the app's. */
async function ownCache(options: CreateFaqServiceOptions): Promise<AnswerCache> {
  const { Kv } = await import('../kv');
  const { createLogger } = await import('../logger');
  const kv = new Kv({
    url: options.keyvUrl,
    timeoutMs: options.keyvTimeoutMs ?? 500,
    log: options.logger ?? createLogger('silent'),
  });
  return kv.namespace('faq-answers');
}
