import type { AnswerPolicy, Decision } from './answerPolicy';
import { fill, type ContextSentences } from './askerContext';
import type { AnsweringText, KnowledgeEntry } from './knowledge';
import type { FaqRetriever, QueryAnalysis, SearchHit } from './retriever';
import type { IntentCues } from './intentCues';
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
}

export interface ExtractiveOptions extends AnswerOptions {
  /** Put the "Next: …" line into the answer text (the command line needs it; a bot may show buttons instead). */
  inlineNext?: boolean;
  /** Put the "Source: …" line into the answer text (a bot rendering `citations` itself may not want it twice). */
  inlineSource?: boolean;
}

/**
 * The offline answerer: quotes the guide passage that best matches, cites it, suggests the
 * next step, and abstains (with who to ask) when retrieval is not convincing.
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

  retrieve(question: string): Retrieval {
    const { text, injected } = this.gate.stripInjection(question);
    const outOfScope = this.gate.outOfScope(text);
    const analysis = this.retriever.analyze(text);
    const hits = this.cues.rerank(text, this.retriever.search(analysis));
    const decision: Decision = outOfScope
      ? { kind: 'abstain', reason: 'out-of-scope', hits, coverage: 0, confidence: 0 }
      : this.policy.decide(analysis, hits);
    return { analysis, hits, decision, injected, outOfScope };
  }

  answer(question: string, options: ExtractiveOptions = {}): FaqAnswer {
    return this.compose(question, this.retrieve(question), options);
  }

  compose(question: string, retrieval: Retrieval, options: ExtractiveOptions = {}): FaqAnswer {
    const { decision } = retrieval;
    const personal = this.contextSentences.forQuestion(question, options.context);
    if (decision.kind === 'answer') {
      return this.quote(question, decision.top.entry, decision.confidence, personal, options);
    }
    if (decision.kind === 'didYouMean') {
      const didYouMean = decision.choices.map((h) => cite(h.entry));
      const lines = didYouMean.map((c, i) => `${i + 1}. ${c.title}`);
      return {
        question,
        answered: false,
        answer: [this.answering.messages.didYouMean, ...lines, this.answering.messages.handover].join('\n'),
        citations: [],
        confidence: decision.confidence,
        didYouMean,
        source: 'extractive',
        language: 'en',
      };
    }
    const fallback = personal && options.context ? this.entryForStatus(options.context) : undefined;
    if (fallback && personal) {
      // "Where is my application?" is not in the guide, but the asker's own status answers it.
      return this.quote(question, fallback, 0.5, personal, options);
    }
    return {
      question,
      answered: false,
      answer: `${this.answering.messages.abstain} ${this.answering.messages.handover}`,
      citations: [],
      confidence: decision.confidence,
      source: 'extractive',
      language: 'en',
    };
  }

  /** The cited passage as the answer, with the personal sentence first and the source last. */
  quote(
    question: string,
    entry: KnowledgeEntry,
    confidence: number,
    personal: string | undefined,
    options: ExtractiveOptions = {},
  ): FaqAnswer {
    const { messages } = this.answering;
    const links = entry.links
      .filter((l) => !entry.text.includes(l.url))
      .map((l) => fill(messages.link, { title: l.title, url: l.url }));
    const suggestions = this.suggestionsFor(entry);
    const next = suggestions.find((s) => s.kind === 'next');
    const parts = [
      ...(personal ? [personal] : []),
      [entry.text, ...links].join('\n'),
      ...(options.inlineSource !== false
        ? [fill(messages.source, { id: entry.id, title: entry.title })]
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
      language: 'en',
    };
  }

  suggestionsFor(entry: KnowledgeEntry): Suggestion[] {
    const out: Suggestion[] = [];
    const next = entry.next ? this.retriever.entry(entry.next) : undefined;
    if (next) out.push({ ...cite(next), kind: 'next' });
    for (const id of entry.related) {
      const related = this.retriever.entry(id);
      if (related && related.id !== next?.id) out.push({ ...cite(related), kind: 'related' });
    }
    return out;
  }

  private entryForStatus(context: AskerContext): KnowledgeEntry | undefined {
    return this.retriever.entries.find((e) => e.statuses.includes(context.status));
  }
}

export function cite(entry: KnowledgeEntry): Citation {
  return { id: entry.id, title: entry.title };
}
