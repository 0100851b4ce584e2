import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { buildOfflineFaq, type OfflineFaq } from '../../src/faq/buildAnswerer';
import { loadKnowledge } from '../../src/faq/knowledge';

/**
 * Scores the offline answerer on test/faq/eval-set.json. In-scope questions name the entry
 * (or entries) that answer them; out-of-scope ones have `expected: []` and must be refused.
 * Run with `npm run faq:eval`; test/faq/evaluation.test.ts asserts the targets.
 */

export const EVAL_SET_PATH = path.join(__dirname, 'eval-set.json');
const RESULTS_PATH = path.resolve(__dirname, '../../bench/results/faq-eval.json');

const evalItem = z.object({
  question: z.string().min(1),
  expected: z.array(z.string()),
  lang: z.enum(['en', 'zh']),
  tags: z.array(z.string()),
  split: z.enum(['dev', 'holdout', 'fresh']),
});
export type EvalItem = z.infer<typeof evalItem>;

export function loadEvalSet(file = EVAL_SET_PATH): EvalItem[] {
  return z.array(evalItem).parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export interface Rates {
  inScope: number;
  outOfScope: number;
  top1: number;
  recallAt3: number;
  answeredCorrectly: number;
  falseAbstention: number;
  wrongAnswer: number;
  outOfScopeAbstention: number;
}

export interface Outcome {
  question: string;
  expected: string[];
  split: string;
  lang: string;
  ranked: string[];
  answered: boolean;
  cited?: string;
  confidence: number;
  ok: boolean;
}

export interface EvalReport {
  /** The slices the targets apply to: written before tuning ("dev", "holdout"). */
  targetSet: Rates;
  overall: Rates;
  bySplit: Record<string, Rates>;
  byLang: Record<string, Rates>;
  failures: Outcome[];
}

export function runEvaluation(faq: OfflineFaq, items: EvalItem[]): EvalReport {
  const outcomes: Outcome[] = items.map((item) => {
    const retrieval = faq.answerer.retrieve(item.question);
    const answer = faq.answerer.compose(item.question, retrieval);
    const ranked = retrieval.hits.map((h) => h.entry.id);
    const cited = answer.citations[0]?.id;
    const inScope = item.expected.length > 0;
    const ok = inScope ? answer.answered && item.expected.includes(cited ?? '') : !answer.answered;
    return { ...item, ranked, answered: answer.answered, cited, confidence: answer.confidence, ok };
  });
  const group = (key: 'split' | 'lang') =>
    Object.fromEntries(
      [...new Set(outcomes.map((o) => o[key]))].map((v) => [v, rates(outcomes.filter((o) => o[key] === v))]),
    );
  return {
    targetSet: rates(outcomes.filter((o) => o.split !== 'fresh')),
    overall: rates(outcomes),
    bySplit: group('split'),
    byLang: group('lang'),
    failures: outcomes.filter((o) => !o.ok),
  };
}

function rates(outcomes: Outcome[]): Rates {
  const inScope = outcomes.filter((o) => o.expected.length > 0);
  const oos = outcomes.filter((o) => o.expected.length === 0);
  const share = (list: Outcome[], pred: (o: Outcome) => boolean) =>
    list.length === 0 ? 0 : round(list.filter(pred).length / list.length);
  return {
    inScope: inScope.length,
    outOfScope: oos.length,
    top1: share(inScope, (o) => o.expected.includes(o.ranked[0])),
    recallAt3: share(inScope, (o) => o.ranked.slice(0, 3).some((id) => o.expected.includes(id))),
    answeredCorrectly: share(inScope, (o) => o.answered && o.expected.includes(o.cited ?? '')),
    falseAbstention: share(inScope, (o) => !o.answered),
    wrongAnswer: share(inScope, (o) => o.answered && !o.expected.includes(o.cited ?? '')),
    outOfScopeAbstention: share(oos, (o) => !o.answered),
  };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

function main(): void {
  const faq = buildOfflineFaq(loadKnowledge());
  const report = runEvaluation(faq, loadEvalSet());
  const rows: [string, Rates][] = [
    ['dev+holdout', report.targetSet],
    ['all slices', report.overall],
    ...Object.entries(report.bySplit).map(([k, r]): [string, Rates] => [`split:${k}`, r]),
    ...Object.entries(report.byLang).map(([k, r]): [string, Rates] => [`lang:${k}`, r]),
  ];
  console.log('slice          in/oos   top-1   recall@3  answered-ok  false-abst  wrong-ans  oos-abst');
  for (const [name, r] of rows) {
    console.log(
      [
        name.padEnd(14),
        `${r.inScope}/${r.outOfScope}`.padEnd(8),
        pct(r.top1).padStart(6),
        pct(r.recallAt3).padStart(9),
        pct(r.answeredCorrectly).padStart(12),
        pct(r.falseAbstention).padStart(11),
        pct(r.wrongAnswer).padStart(10),
        pct(r.outOfScopeAbstention).padStart(9),
      ].join(' '),
    );
  }
  for (const f of report.failures) {
    console.log(
      `  miss[${f.split}]: ${JSON.stringify(f.question)} expected=${f.expected.join('|') || '(abstain)'} ` +
        `answered=${f.answered} cited=${f.cited ?? '-'} ranked=${f.ranked.slice(0, 3).join(',')} conf=${f.confidence}`,
    );
  }
  fs.mkdirSync(path.dirname(RESULTS_PATH), { recursive: true });
  fs.writeFileSync(
    RESULTS_PATH,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), ...report }, null, 2)}\n`,
  );
  console.log(`written ${path.relative(process.cwd(), RESULTS_PATH)}`);
}

if (require.main === module) main();
