/**
 * BM25+ over a few dozen entries, precomputed. The knowledge base never changes while the
 * process runs, so every (term, entry) score is worked out once at build time; a question
 * then costs one map look-up and a few additions per term. It scores exactly as minisearch's
 * BM25+ does (k 1.2, b 0.7, d 0.5; field boosts; prefix matches weighted
 * 0.375·len/(len + 0.3·extra); a document's sum times the number of query terms it matched),
 * which the answerer was tuned with: test/faq/bm25.test.ts holds the two side by side.
 * No fuzzy matching: the typo corrector reads a misspelt word as the guide word it stands
 * for before searching, and fuzzy search on top of it cost 90 % of the search time (its
 * removal changed no tuning figure but one wrong answer fewer).
 */

export interface FieldSpec<F extends string> {
  fields: readonly F[];
  boost: Record<F, number>;
}

export interface QueryTerm {
  term: string;
  /** Weight of this term in the query (1 for the question's own words, less for synonyms). */
  boost: number;
  /** Also match index terms that start with this one. */
  prefix: boolean;
}

export interface ScoredDoc {
  doc: number;
  score: number;
  /** The query terms that matched this document (exactly or by prefix), in query order. */
  terms: string[];
}

const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;

/** One term's precomputed contribution: boosted BM25 summed over fields, per document. */
interface Posting {
  docs: number[];
  scores: number[];
}

export class Bm25Index<F extends string> {
  private readonly postings = new Map<string, Posting>();
  /** Every indexed term, sorted, for prefix look-ups by binary search. */
  private readonly sortedTerms: string[];
  readonly size: number;

  /** `docs[i][field]` is the list of terms of that field of document i, repeats kept. */
  constructor(docs: readonly Record<F, string[]>[], spec: FieldSpec<F>) {
    this.size = docs.length;
    const n = docs.length;
    // Per field: term → doc → term frequency; a field's length is its number of distinct terms.
    const perField = spec.fields.map((field) => {
      const tf = new Map<string, Map<number, number>>();
      const lengths: number[] = [];
      docs.forEach((doc, i) => {
        const terms = doc[field];
        lengths.push(new Set(terms).size);
        for (const t of terms) {
          let byDoc = tf.get(t);
          if (!byDoc) tf.set(t, (byDoc = new Map()));
          byDoc.set(i, (byDoc.get(i) ?? 0) + 1);
        }
      });
      const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
      return { field, tf, lengths, avg };
    });
    const all = new Set<string>();
    for (const f of perField) for (const t of f.tf.keys()) all.add(t);
    for (const term of all) {
      const docsInOrder: number[] = [];
      const score = new Map<number, number>();
      for (const f of perField) {
        const byDoc = f.tf.get(term);
        if (!byDoc) continue;
        const idf = Math.log(1 + (n - byDoc.size + 0.5) / (byDoc.size + 0.5));
        for (const [doc, freq] of [...byDoc].sort((a, b) => a[0] - b[0])) {
          const norm = K * (1 - B + (B * f.lengths[doc]) / f.avg);
          const s = spec.boost[f.field] * idf * (D + (freq * (K + 1)) / (freq + norm));
          if (!score.has(doc)) docsInOrder.push(doc);
          score.set(doc, (score.get(doc) ?? 0) + s);
        }
      }
      this.postings.set(term, { docs: docsInOrder, scores: docsInOrder.map((d) => score.get(d)!) });
    }
    this.sortedTerms = [...all].sort();
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** Documents matching any query term, best first. */
  search(query: readonly QueryTerm[]): ScoredDoc[] {
    const results = new Map<number, ScoredDoc>();
    const add = (source: string, derived: string, weight: number) => {
      const posting = this.postings.get(derived);
      if (!posting) return;
      for (let i = 0; i < posting.docs.length; i++) {
        const doc = posting.docs[i];
        const s = weight * posting.scores[i];
        const hit = results.get(doc);
        if (!hit) results.set(doc, { doc, score: s, terms: [source] });
        else {
          hit.score += s;
          if (!hit.terms.includes(source)) hit.terms.push(source);
        }
      }
    };
    for (const q of query) {
      add(q.term, q.term, q.boost);
      if (q.prefix) {
        for (const term of this.withPrefix(q.term)) {
          const extra = term.length - q.term.length;
          add(q.term, term, q.boost * ((PREFIX_WEIGHT * term.length) / (term.length + 0.3 * extra)));
        }
      }
    }
    return [...results.values()]
      .map((r) => ({ ...r, score: r.score * r.terms.length }))
      .sort((a, b) => b.score - a.score);
  }

  /** Indexed terms that start with `prefix` and are longer than it. */
  private withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.sortedTerms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedTerms[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sortedTerms.length && this.sortedTerms[i].startsWith(prefix); i++)
      if (this.sortedTerms[i] !== prefix) out.push(this.sortedTerms[i]);
    return out;
  }
}
