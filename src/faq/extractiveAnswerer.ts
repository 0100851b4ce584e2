import type { AnswerPolicy, Decision } from './answerPolicy';
import { fill, type ContextSentences } from './askerContext';
import type { IntentCues } from './intentCues';
import { chromeFor, type AnsweringText, type KnowledgeEntry } from './knowledge';
import { detectLanguage, type Language } from './language';
import type { FaqRetriever, QueryAnalysis, SearchHit } from './retriever';
import type { ScopeGate } from './scopeGate';
import type { AnswerOptions, AskerContext, Citation, FaqAnswer, Suggestion } from './types';

/** What retrieval found for a question and what the policy made of it; shared with the LLM path. */
export interface Retrieval {
  analysis: QueryAnalysis;
  hits: SearchHit[];
  decision: Decision;
  /** The question carried orders for the answerer ("ignore the rules…"); they were cut off. */
  injected: boolean;
  /** The out-of-scope topic the gate matched, when it did. */
  outOfScope?: string;
  /** The language of the question, which the answer is written in. */
  language: Language;
}

/** Retrievals kept per normalised question: the same few questions come back all day. */
const RETRIEVAL_CACHE_SIZE = 500;

export interface ExtractiveOptions extends AnswerOptions {
  /** Put the "Next: …" line into the answer text (the command line needs it; a bot may show buttons instead). */
  inlineNext?: boolean;
  /** Put the "Source: …" line into the answer text (a bot rendering `citations` itself may not want it twice). */
  inlineSource?: boolean;
}

/**
 * The offline answerer: quotes the guide passage that best matches, cites it, suggests the
 * next step, and abstains (with who to ask) when retrieval is not convincing. A Chinese
 * question is answered with the entry's reviewed Chinese text, followed by the guide's
 * English words as the authority.
 */
export class ExtractiveAnswerer {
  constructor(
    private readonly retriever: FaqRetriever,
    private readonly policy: AnswerPolicy,
    private readonly answering: AnsweringText,
    private readonly contextSentences: ContextSentences,
    private readonly gate: ScopeGate,
    private readonly cues: IntentCues,
  ) {}

  private readonly cache = new Map<string, Retrieval>();

  /**
   * What the knowledge base says about `question`. Retrieval depends on the text alone (the
   * asker's context only changes the wording), so it is cached per normalised question;
   * callers must not change the returned object.
   */
  retrieve(question: string): Retrieval {
    const key = question.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const retrieval = this.retrieveUncached(question);
    if (this.cache.size >= RETRIEVAL_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, retrieval);
    return retrieval;
  }

  /** The same, computed afresh (the benchmark measures this too). */
  retrieveUncached(question: string): Retrieval {
    const language = detectLanguage(question);
    const { text, injected } = this.gate.stripInjection(question);
    const analysis = this.retriever.analyze(text);
    // The corrected text too: a typo must not carry an out-of-scope topic past the gate (发漂 is 发票).
    const asTyped = text.normalize('NFKC').toLowerCase();
    const outOfScope =
      this.gate.outOfScope(text) ??
      (analysis.corrected !== asTyped ? this.gate.outOfScope(analysis.corrected) : undefined);
    const hits = this.cues.rerank(analysis.corrected, this.retriever.search(analysis));
    const decision: Decision = outOfScope
      ? { kind: 'abstain', reason: 'out-of-scope', hits, coverage: 0, confidence: 0 }
      : this.policy.decide(analysis, hits);
    return { analysis, hits, decision, injected, outOfScope, language };
  }

  answer(question: string, options: ExtractiveOptions = {}): FaqAnswer {
    return this.compose(question, this.retrieve(question), options);
  }

  compose(question: string, retrieval: Retrieval, options: ExtractiveOptions = {}): FaqAnswer {
    const { decision, language } = retrieval;
    const { messages } = chromeFor(this.answering, language);
    const personal = this.contextSentences.forQuestion(question, options.context, language);
    if (decision.kind === 'answer') {
      return this.quote(question, decision.top.entry, decision.confidence, personal, language, options);
    }
    if (decision.kind === 'didYouMean') {
      const didYouMean = decision.choices.map((h) => cite(h.entry));
      const lines = decision.choices.map((h, i) => `${i + 1}. ${titleIn(h.entry, language)}`);
      return {
        question,
        answered: false,
        answer: [messages.didYouMean, ...lines, messages.handover].join('\n'),
        citations: [],
        confidence: decision.confidence,
        didYouMean,
        source: 'extractive',
        language,
      };
    }
    const fallback = personal && options.context ? this.entryForStatus(options.context) : undefined;
    if (fallback && personal && decision.reason !== 'out-of-scope') {
      // "Where is my application?" is not in the guide, but the asker's own status answers it.
      return this.quote(question, fallback, 0.5, personal, language, options);
    }
    return this.abstention(question, language, decision.confidence);
  }

  /** "Not in the guide" plus who to ask, in `language`. */
  abstention(question: string, language: Language, confidence = 0): FaqAnswer {
    const { messages } = chromeFor(this.answering, language);
    return {
      question,
      answered: false,
      answer: `${messages.abstain}${language === 'zh' ? '' : ' '}${messages.handover}`,
      citations: [],
      confidence,
      source: 'extractive',
      language,
    };
  }

  /** The cited passage as the answer, with the personal sentence first and the source last. */
  quote(
    question: string,
    entry: KnowledgeEntry,
    confidence: number,
    personal: string | undefined,
    language: Language,
    options: ExtractiveOptions = {},
  ): FaqAnswer {
    const { messages } = chromeFor(this.answering, language);
    const text = language === 'zh' ? entry.zh.text : entry.text;
    const links = entry.links
      .filter((l) => !text.includes(l.url))
      .map((l) => fill(messages.link, { title: l.title, url: l.url }));
    const suggestions = this.suggestionsFor(entry, language);
    const next = suggestions.find((s) => s.kind === 'next');
    const parts = [
      ...(personal ? [personal] : []),
      [text, ...links].join('\n'),
      // A translation is not the authority: the guide's own English words follow it.
      ...(language === 'zh' ? [`${messages.original}\n${entry.text}`] : []),
      ...(options.inlineSource !== false
        ? [fill(messages.source, { id: entry.id, title: titleIn(entry, language), enTitle: entry.title })]
        : []),
      ...(options.inlineNext !== false && next ? [fill(messages.next, { title: next.title })] : []),
    ];
    return {
      question,
      answered: true,
      answer: parts.join('\n\n'),
      citations: [cite(entry)],
      confidence,
      suggestions,
      source: 'extractive',
      language,
    };
  }

  /** The next step and related entries, titled in `language`. */
  suggestionsFor(entry: KnowledgeEntry, language: Language = 'en'): Suggestion[] {
    const out: Suggestion[] = [];
    const titled = (e: KnowledgeEntry) => ({ id: e.id, title: titleIn(e, language) });
    const next = entry.next ? this.retriever.entry(entry.next) : undefined;
    if (next) out.push({ ...titled(next), kind: 'next' });
    for (const id of entry.related) {
      const related = this.retriever.entry(id);
      if (related && related.id !== next?.id) out.push({ ...titled(related), kind: 'related' });
    }
    return out;
  }

  private entryForStatus(context: AskerContext): KnowledgeEntry | undefined {
    return this.retriever.entries.find((e) => e.statuses.includes(context.status));
  }
}

/** Citations name the guide's own (English) section title: the English guide is the authority. */
export function cite(entry: KnowledgeEntry): Citation {
  return { id: entry.id, title: entry.title };
}

function titleIn(entry: KnowledgeEntry, language: Language): string {
  return language === 'zh' ? entry.zh.title : entry.title;
}
