import { ChineseChars } from './chineseChars';
import { AnswerPolicy, DEFAULT_POLICY, type PolicyOptions } from './answerPolicy';
import { ContextSentences } from './askerContext';
import { ExtractiveAnswerer } from './extractiveAnswerer';
import type { Knowledge } from './knowledge';
import { DEFAULT_RETRIEVER_OPTIONS, FaqRetriever, type RetrieverOptions } from './retriever';
import { DEFAULT_EXPANSION_WEIGHTS, SynonymExpander, type ExpansionWeights } from './synonyms';
import { DEFAULT_CUE_OPTIONS, IntentCues, type CueOptions } from './intentCues';
import { ScopeGate } from './scopeGate';
import { Tokenizer } from './tokenizer';
import { GeneralFrequency } from './wordFrequency';

export interface BuildOptions {
  retriever?: Partial<RetrieverOptions>;
  expansion?: Partial<ExpansionWeights>;
  policy?: Partial<PolicyOptions>;
  cues?: Partial<CueOptions>;
  /** Time zone for dates in personal sentences (the business calendar's). */
  timeZone?: string;
}

export interface OfflineFaq {
  tokenizer: Tokenizer;
  retriever: FaqRetriever;
  policy: AnswerPolicy;
  answerer: ExtractiveAnswerer;
}

/** Wires the offline pipeline from validated knowledge: tokenizer → synonyms → index → policy → answerer. */
export function buildOfflineFaq(knowledge: Knowledge, options: BuildOptions = {}): OfflineFaq {
  const general = new GeneralFrequency(knowledge.wordFrequency);
  const tokenizer = new Tokenizer({
    stopwords: knowledge.lexicon.stopwords,
    dictionary: dictionaryOf(knowledge),
    chars: new ChineseChars(knowledge.chineseChars),
    isWord: (w) => general.isWord(w),
  });
  const expander = new SynonymExpander(knowledge.lexicon.synonyms, tokenizer, {
    ...DEFAULT_EXPANSION_WEIGHTS,
    ...options.expansion,
  });
  const retriever = new FaqRetriever(
    knowledge.entries,
    tokenizer,
    expander,
    { ...DEFAULT_RETRIEVER_OPTIONS, ...options.retriever },
    general,
  );
  const policy = new AnswerPolicy(retriever, { ...DEFAULT_POLICY, ...options.policy });
  const context = new ContextSentences(knowledge.answering, {
    timeZone: options.timeZone ?? 'Asia/Shanghai',
  });
  const answerer = new ExtractiveAnswerer(
    retriever,
    policy,
    knowledge.answering,
    context,
    new ScopeGate(knowledge.scope),
    new IntentCues(knowledge.lexicon.cues, { ...DEFAULT_CUE_OPTIONS, ...options.cues }),
  );
  return { tokenizer, retriever, policy, answerer };
}

/** The segmenter's words: the lexicon's dictionary plus every Chinese synonym, so domain terms stay whole. */
export function dictionaryOf(knowledge: Knowledge): string[] {
  const words = new Set(knowledge.lexicon.dictionary);
  for (const group of knowledge.lexicon.synonyms) for (const term of group) words.add(term);
  for (const e of knowledge.entries) for (const term of e.synonyms.zh) words.add(term);
  return [...words];
}
