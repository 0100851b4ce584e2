import { Bm25Index, type QueryTerm } from './bm25Index';
import type { KnowledgeEntry } from './knowledge';
import type { ExpandedQuery, SynonymExpander } from './synonyms';
import type { Token, Tokenizer } from './tokenizer';
import type { GeneralFrequency } from './wordFrequency';

export interface RetrieverOptions {
  /** Field boosts: alternate questions and synonyms say what an entry is about more sharply than its text. */
  boost: Record<'title' | 'questions' | 'synonyms' | 'text', number>;
  /** Weight of a pair of adjacent words ("sign_contract") relative to a single word. */
  shingleWeight: number;
  /**
   * Weight of a word the knowledge base never uses, as a share of the highest weight, by its
   * general-language band (index 0 = band 1, the most common words); the last value is for
   * words in no band (rare words and names: "AWS", "Kubernetes").
   */
  unknownWordShare: number[];
  /**
   * The same for a Chinese word in no band. Unlike an English one, it is rarely a name (those
   * are in jieba's dictionary: 华为, 腾讯); it is a compound jieba keeps whole (签好, 退回去,
   * 提前准备), whose meaning is its parts'.
   */
  unknownChineseShare: number;
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = {
  boost: { title: 2, questions: 2.5, synonyms: 2, text: 1 },
  shingleWeight: 0.5,
  unknownWordShare: [0.2, 0.35, 0.55, 0.75, 0.85, 1],
  // Like an uncommon word (band 4): 0.55 turned a false abstention into a wrong answer.
  unknownChineseShare: 0.75,
};

export interface QueryAnalysis {
  question: string;
  /**
   * The question as read: normalised (lower case, simplified characters) with typos replaced
   * by the words they stand for (发漂 → 发票, "wat" → what); what the gate and the cues look at.
   */
  corrected: string;
  expansion: ExpandedQuery;
  /** Adjacent word pairs of the question: word order that single terms lose. */
  shingles: string[];
}

export interface SearchHit {
  entry: KnowledgeEntry;
  score: number;
  /** The query terms (own or added) this entry matched, exactly, by prefix or fuzzily. */
  matched: Set<string>;
}

export const FIELDS = ['title', 'questions', 'synonyms', 'text'] as const;
export type Field = (typeof FIELDS)[number];

/** The text of each searchable field of an entry, lines joined by newlines. */
export function fieldTexts(e: KnowledgeEntry): Record<Field, string> {
  return {
    title: [e.title, e.zh.title].join('\n'),
    questions: [...e.questions.en, ...e.questions.zh].join('\n'),
    synonyms: [...e.synonyms.en, ...e.synonyms.zh].join('\n'),
    text: [e.text, e.zh.text].join('\n'),
  };
}

const LATIN = /^[a-z0-9]+$/;
const HAN = /\p{Script=Han}/u;
const SHINGLE_JOINER = '_';

/** Searchable terms of one line plus its shingles (the tokenizer never emits "_", so they cannot collide). */
export function indexTerms(tokens: Token[]): string[] {
  return [...tokens.filter((t) => !t.stop).map((t) => t.term), ...shinglesOf(tokens)];
}

/** Pairs of adjacent searchable words; stopwords are skipped over, compound parts are not words of their own. */
function shinglesOf(tokens: Token[]): string[] {
  const words = tokens.filter((t) => !t.stop && !t.partOf).map((t) => t.term);
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) out.push(words[i] + SHINGLE_JOINER + words[i + 1]);
  return out;
}

/**
 * BM25+ retrieval over the knowledge entries (a precomputed index, see bm25Index.ts), with the
 * shared tokenizer on both sides, synonym expansion, typo correction and prefix matching for
 * Latin terms (partial words). Chinese terms match exactly; a compound also meets its parts.
 */
export class FaqRetriever {
  private readonly index: Bm25Index<Field>;
  private readonly byId = new Map<string, KnowledgeEntry>();
  private readonly documentFrequency = new Map<string, number>();
  /** The guide's Latin terms and the English stopwords: what a typo may be corrected to. */
  private readonly latinTerms: string[];
  private readonly shortStopwords: string[];

  constructor(
    /** In knowledge order. */
    readonly entries: readonly KnowledgeEntry[],
    private readonly tokenizer: Tokenizer,
    private readonly expander: SynonymExpander,
    private readonly options: RetrieverOptions = DEFAULT_RETRIEVER_OPTIONS,
    private readonly general?: GeneralFrequency,
  ) {
    const texts = entries.map(fieldTexts);
    const terms = (text: string) => text.split('\n').flatMap((line) => indexTerms(tokenizer.tokens(line)));
    this.index = new Bm25Index(
      texts.map((t) => ({
        title: terms(t.title),
        questions: terms(t.questions),
        synonyms: terms(t.synonyms),
        text: terms(t.text),
      })),
      { fields: FIELDS, boost: options.boost },
    );
    for (const e of entries) this.byId.set(e.id, e);
    for (const t of texts) {
      const distinct = new Set(tokenizer.tokenize([t.title, t.questions, t.synonyms, t.text].join('\n')));
      for (const term of distinct)
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.latinTerms = [...this.documentFrequency.keys()].filter((t) => LATIN.test(t));
    // Two-letter stopwords are too close to everything ("an" is one edit from "and", "as", …).
    this.shortStopwords = [...tokenizer.englishStopwords].filter((w) => LATIN.test(w) && w.length >= 3);
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  analyze(question: string): QueryAnalysis {
    const typed = this.tokenizer.tokens(question);
    const tokens = typed.map((t) => this.corrected(t));
    let corrected = this.tokenizer.normalize(question);
    tokens.forEach((t, i) => {
      if (t.source) corrected = corrected.replace(t.source, t.term);
      // An English typo read as a word ("wat" → what) is spelt right for the cues too.
      else if (t.term !== typed[i].term)
        corrected = corrected.replace(new RegExp(`\\b${typed[i].term}\\b`, 'u'), t.term);
    });
    return {
      question,
      corrected,
      expansion: this.expander.expand(tokens),
      shingles: shinglesOf(tokens),
    };
  }

  /**
   * A Latin word the guide never uses but one edit (two for long words) away from one it
   * does is taken as a typo of it ("netwrk" → "network", "onbaord" → "onboard"). Otherwise
   * the typo would count as the rarest, most telling word of the question and the policy
   * would refuse a question the guide answers. Short words (3–4 letters) are corrected only
   * when they are no English word at all, to a guide word or a stopword ("waht" → what,
   * "teh" → the), since one edit turns many short words into others.
   */
  private corrected(token: Token): Token {
    const term = token.term;
    if (token.stop || !LATIN.test(term) || term.length < 3 || /\d/.test(term)) return token;
    if (this.documentFrequency.has(term)) return token;
    if (term.length < 5) {
      if (!this.general || this.general.isWord(term)) return token;
      const stop = this.closest(term, 1, this.shortStopwords);
      if (stop) return { ...token, term: stop, stop: true };
      const known = this.closest(term, 1, this.latinTerms);
      return known ? { ...token, term: known } : token;
    }
    // A real English word the guide does not use ("activity") is not a typo of one it does ("activate").
    if (this.general?.isWord(term)) return token;
    const budget = term.length >= 8 ? 2 : 1;
    const known = this.closest(term, budget, this.latinTerms);
    if (known) return { ...token, term: known };
    const stop = this.closest(term, 1, this.shortStopwords);
    return stop ? { ...token, term: stop, stop: true } : token;
  }

  /**
   * The candidate nearest to `term` within `budget` edits; on a tie, one with the same letters
   * (a swapped pair, the commonest slip: "waht" is "what", not "want"), then the most frequent
   * in the guide.
   */
  private closest(term: string, budget: number, candidates: readonly string[]): string | undefined {
    let best: { term: string; distance: number; anagram: boolean; df: number } | undefined;
    const letters = sortedLetters(term);
    for (const known of candidates) {
      if (Math.abs(known.length - term.length) > budget) continue;
      const distance = editDistance(term, known, budget);
      if (distance > budget) continue;
      const df = this.documentFrequency.get(known) ?? 0;
      const anagram = sortedLetters(known) === letters;
      const better =
        !best ||
        distance < best.distance ||
        (distance === best.distance && (anagram !== best.anagram ? anagram : df > best.df));
      if (better) best = { term: known, distance, anagram, df };
    }
    return best?.term;
  }

  /** The weighted terms searched for a question: its own words, their synonyms, its word pairs. */
  queryFor(analysis: QueryAnalysis): QueryTerm[] {
    const { original, added } = analysis.expansion;
    const shingles = analysis.shingles.filter((s) => !added.has(s));
    const terms = [...original, ...added.keys(), ...shingles];
    const shingleWeight = this.options.shingleWeight;
    return terms.map((term, i) => ({
      term,
      boost: i < original.length ? 1 : (added.get(term) ?? shingleWeight),
      prefix: LATIN.test(term) && term.length >= 4,
    }));
  }

  /** Entries ranked by score, best first. */
  search(analysis: QueryAnalysis, limit = 5): SearchHit[] {
    if (analysis.expansion.original.length === 0) return [];
    const query = this.queryFor(analysis);
    return this.index
      .search(query)
      .slice(0, limit)
      .map((r) => ({ entry: this.entries[r.doc], score: r.score, matched: new Set(r.terms) }));
  }

  /**
   * How much a term says about which entry is meant (BM25's idf over entries): a term in
   * every entry ("alibaba") says little. A term in none is weighed by how common it is in
   * general language: "AWS" or "Kubernetes" says the question is about something else,
   * "green light" or "get in touch" is only the asker's way of putting it.
   */
  termWeight(term: string): number {
    const n = this.entries.length;
    const df = this.documentFrequency.get(term) ?? 0;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    if (df > 0 || !this.general) return idf;
    const shares = this.options.unknownWordShare;
    const band = this.general.band(term);
    if (band === undefined && HAN.test(term)) return idf * this.options.unknownChineseShare;
    return idf * shares[band === undefined ? shares.length - 1 : Math.min(band, shares.length) - 1];
  }
}

function sortedLetters(word: string): string {
  return [...word].sort().join('');
}

/** Optimal-string-alignment distance (adjacent swaps count as one edit), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (i > 0 && rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}
