import type { FaqRetriever, QueryAnalysis, SearchHit } from './retriever';

export interface PolicyOptions {
  /** Share of the question's informative weight an entry must cover before it is used as the answer. */
  minCoverage: number;
  /**
   * A lower coverage is enough when the matched terms carry this much evidence (summed idf):
   * a question with several specific guide terms plus some words the guide never uses.
   */
  minEvidence: number;
  minCoverageWithEvidence: number;
  /**
   * A lower coverage is enough when one entry stands out: the runner-up scores at most
   * `dominantRatio` of the best. A short question whose guide words all point at one entry
   * ("withdraw app", "邀请码过期了") is not refused for its one everyday word the guide lacks.
   */
  dominantRatio: number;
  minCoverageDominant: number;
  /** …and the best entry's own score is at least this (a lone weak match is no stand-out). */
  minScoreDominant: number;
  /** Whatever the coverage, the matched terms must weigh this much: one generic word ("application") is not a question. */
  minMatchedWeight: number;
  /** A floor on the BM25 score, against single weak partial matches. */
  minScore: number;
  /** A runner-up scoring at least this share of the best entry makes the question ambiguous. */
  tieRatio: number;
  /** How many "Did you mean" choices to offer at most. */
  maxChoices: number;
}

export const DEFAULT_POLICY: PolicyOptions = {
  // The strictest values that keep the tuning sets' in-scope accuracy, measured with the
  // out-of-scope gate switched off (how well a topic the gate does not list is refused).
  minCoverage: 0.55,
  minEvidence: 4,
  minCoverageWithEvidence: 0.25,
  // Measured on the tuning sets with the gate off: 0.35 let "huawei cloud partner onboarding
  // process" through, 0.4 nothing; without the score floor, a lone weak match ("阿里云发票怎么开")
  // passed as a stand-out.
  dominantRatio: 0.15,
  minCoverageDominant: 0.4,
  minScoreDominant: 100,
  minMatchedWeight: 1.5,
  minScore: 2,
  tieRatio: 0.95,
  maxChoices: 3,
};

export type Decision =
  | { kind: 'answer'; top: SearchHit; hits: SearchHit[]; coverage: number; confidence: number }
  | { kind: 'didYouMean'; choices: SearchHit[]; hits: SearchHit[]; coverage: number; confidence: number }
  | {
      kind: 'abstain';
      reason: 'no-terms' | 'no-match' | 'low-coverage' | 'low-score' | 'out-of-scope';
      hits: SearchHit[];
      coverage: number;
      confidence: number;
    };

/**
 * Decides whether the evidence is strong enough to answer. A lexical match alone is not:
 * "How do I join the AWS Partner Network?" matches "partner network" in the guide, so the
 * decision weighs how much of the question the best entry explains (idf-weighted term
 * coverage: the unexplained "aws" weighs the most), the score itself, and the margin to the
 * runner-up (a near tie becomes a "Did you mean" choice instead of a guess).
 */
export class AnswerPolicy {
  constructor(
    private readonly retriever: FaqRetriever,
    private readonly options: PolicyOptions = DEFAULT_POLICY,
  ) {}

  decide(analysis: QueryAnalysis, hits: SearchHit[]): Decision {
    if (analysis.expansion.original.length === 0)
      return { kind: 'abstain', reason: 'no-terms', hits, coverage: 0, confidence: 0 };
    const [top, second] = hits;
    if (!top) return { kind: 'abstain', reason: 'no-match', hits, coverage: 0, confidence: 0 };

    const measure = this.measure(analysis, top);
    const { coverage } = measure;
    const ratio = second ? second.score / top.score : 0;
    const confidence = round(coverage * (1 - 0.5 * ratio));
    const dominant =
      ratio <= this.options.dominantRatio &&
      top.score >= this.options.minScoreDominant &&
      measure.coverage >= this.options.minCoverageDominant;
    if (!dominant && !this.sufficient(measure))
      return { kind: 'abstain', reason: 'low-coverage', hits, coverage, confidence };
    if (top.score < this.options.minScore)
      return { kind: 'abstain', reason: 'low-score', hits, coverage, confidence };

    const choices = hits.filter((h) => {
      if (h.score < this.options.tieRatio * top.score) return false;
      return this.sufficient(this.measure(analysis, h));
    });
    if (choices.length > 1) {
      return {
        kind: 'didYouMean',
        choices: choices.slice(0, this.options.maxChoices),
        hits,
        coverage,
        confidence,
      };
    }
    return { kind: 'answer', top, hits, coverage, confidence };
  }

  /** The idf-weighted share of the question's own terms that `hit` matched, directly or through a synonym. */
  coverage(analysis: QueryAnalysis, hit: SearchHit): number {
    return this.measure(analysis, hit).coverage;
  }

  private sufficient({ coverage, evidence, signal }: Measure): boolean {
    if (signal < this.options.minMatchedWeight) return false;
    return (
      coverage >= this.options.minCoverage ||
      (coverage >= this.options.minCoverageWithEvidence && evidence >= this.options.minEvidence)
    );
  }

  /**
   * Coverage: the share of the question's term weight that `hit` matched, directly or through
   * a synonym. Evidence: the summed weight of those matched terms. Signal: the same sum where
   * a term matched through a synonym counts as the more specific of the two ("sign up" matched
   * as "register" weighs what "register" weighs, not what the everyday "sign" does); it only
   * decides whether there is anything specific at all.
   */
  measure(analysis: QueryAnalysis, hit: SearchHit): Measure {
    let total = 0;
    let covered = 0;
    let signal = 0;
    for (const term of analysis.expansion.original) {
      const weight = this.retriever.termWeight(term);
      total += weight;
      const viaSynonym = [...(analysis.expansion.alternatives.get(term) ?? [])].filter((a) =>
        hit.matched.has(a),
      );
      if (!hit.matched.has(term) && viaSynonym.length === 0) continue;
      covered += weight;
      signal += Math.max(weight, ...viaSynonym.map((a) => this.retriever.termWeight(a)));
    }
    return { coverage: total === 0 ? 0 : covered / total, evidence: covered, signal };
  }
}

interface Measure {
  coverage: number;
  evidence: number;
  signal: number;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
