import type { Token, Tokenizer } from './tokenizer';

/** The question's own terms plus the terms its synonyms add. */
export interface ExpandedQuery {
  /** The question's searchable terms, each once, in order. */
  original: string[];
  /** Terms added by synonym groups (or compound parts), not among `original`, with their weight (0..1]. */
  added: Map<string, number>;
  /** For each original term, the added terms that stand for it (so a match on either counts). */
  alternatives: Map<string, Set<string>>;
}

export interface ExpansionWeights {
  /** Total weight one question term spreads over its synonyms, relative to the term itself. */
  synonyms: number;
  /** Weight of each part of a Chinese compound: the same words, not synonyms, so most of the term's. */
  parts: number;
}

export const DEFAULT_EXPANSION_WEIGHTS: ExpansionWeights = { synonyms: 0.4, parts: 0.7 };

interface Phrase {
  /** Every token, stopwords included: what must occur in the question. */
  all: string[];
  /** The searchable tokens: what the phrase adds when another phrase of its group occurs. */
  content: string[];
}

/**
 * Expands a question with the synonym groups of knowledge/lexicon.json: when a group's
 * phrase occurs in the question (consecutive tokens, stopwords included so "sign up" needs
 * both words), the other phrases of the group are added. Groups are data, so "KYC" or "返佣"
 * reach the right section with no code change.
 */
export class SynonymExpander {
  private readonly groups: Phrase[][];

  constructor(
    groups: readonly (readonly string[])[],
    tokenizer: Tokenizer,
    private readonly weights: ExpansionWeights = DEFAULT_EXPANSION_WEIGHTS,
  ) {
    this.groups = groups
      .map((group) =>
        group
          .map((phrase) => {
            const tokens = tokenizer.tokens(phrase);
            return {
              all: tokens.map((t) => t.term),
              content: tokens.filter((t) => !t.stop).map((t) => t.term),
            };
          })
          .filter((p) => p.content.length > 0),
      )
      .filter((group) => group.length > 1);
  }

  expand(tokens: readonly Token[]): ExpandedQuery {
    const sequence = tokens.map((t) => t.term);
    const original = [...new Set(tokens.filter((t) => !t.stop && !t.partOf).map((t) => t.term))];
    const alternatives = new Map<string, Set<string>>(original.map((t) => [t, new Set<string>()]));
    // The parts of a Chinese compound stand for it: matching 公司 and 信息 covers 公司信息.
    const parts = new Map<string, string>();
    for (const t of tokens) {
      if (t.partOf && t.term !== t.partOf && alternatives.has(t.partOf)) {
        alternatives.get(t.partOf)!.add(t.term);
        if (!parts.has(t.term)) parts.set(t.term, t.partOf);
      }
    }
    for (const group of this.groups) {
      for (const phrase of group) {
        if (!containsPhrase(sequence, phrase.all)) continue;
        const others = group.filter((p) => p !== phrase).flatMap((p) => p.content);
        for (const term of phrase.content) {
          const owner = alternatives.get(term) ?? alternatives.get(parts.get(term) ?? '');
          for (const other of others) if (other !== term) owner?.add(other);
        }
      }
    }
    // A term with many synonyms must not outvote the question's own words: it spreads a
    // fixed weight over them (by square root, so a rich group still counts).
    const originalSet = new Set(original);
    const added = new Map<string, number>();
    for (const alts of alternatives.values()) {
      const share = this.weights.synonyms / Math.sqrt(Math.max(1, alts.size));
      for (const alt of alts) if (!originalSet.has(alt)) added.set(alt, Math.max(added.get(alt) ?? 0, share));
    }
    for (const part of parts.keys()) {
      if (!originalSet.has(part)) added.set(part, Math.max(added.get(part) ?? 0, this.weights.parts));
    }
    return { original, added, alternatives };
  }
}

function containsPhrase(sequence: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= sequence.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (sequence[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
