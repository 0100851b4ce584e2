import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { buildOfflineFaq, type OfflineFaq } from '../../src/faq/buildAnswerer';
import { loadKnowledge } from '../../src/faq/knowledge';

/**
 * Scores the offline answerer on the evaluation files of test/faq. In-scope questions name
 * the entry (or entries) that answer them; out-of-scope ones have `expected: []` and must be
 * refused. Run with `npm run faq:eval`; test/faq/evaluation.test.ts asserts the targets.
 *
 * The files, each reported as its own block:
 * - eval-set.json: the project's set (slices dev, holdout, fresh), written with the answerer;
 * - tuning-blind-set.json: written blind by someone who had not read the knowledge base,
 *   used to tune (its misses are printed);
 * - tuning-blind-2-set.json: a second blind set by another writer (colloquial, typos,
 *   homophones, long stories, fragments, half Chinese), measured once untouched and then
 *   used to tune like the first;
 * - heldout-set.json (when present): written blind and never used to tune. Only its figures
 *   are printed, never its questions, so nobody tunes on it by accident.
 */

export const EVAL_SET_PATH = path.join(__dirname, 'eval-set.json');
export const TUNING_BLIND_PATH = path.join(__dirname, 'tuning-blind-set.json');
export const TUNING_BLIND_2_PATH = path.join(__dirname, 'tuning-blind-2-set.json');
export const HELDOUT_PATH = path.join(__dirname, 'heldout-set.json');
const RESULTS_PATH = path.resolve(__dirname, '../../bench/results/faq-eval.json');

export interface EvalFile {
  name: string;
  path: string;
  /** Print the questions that missed (never for the held-out set). */
  showMisses: boolean;
}

/** Every evaluation file, in report order; the held-out one only once it has been added. */
export function evalFiles(): EvalFile[] {
  const files: EvalFile[] = [
    { name: 'eval-set', path: EVAL_SET_PATH, showMisses: true },
    { name: 'tuning-blind', path: TUNING_BLIND_PATH, showMisses: true },
    { name: 'tuning-blind-2', path: TUNING_BLIND_2_PATH, showMisses: true },
  ];
  if (fs.existsSync(HELDOUT_PATH)) files.push({ name: 'heldout', path: HELDOUT_PATH, showMisses: false });
  return files;
}

const evalItem = z.object({
  question: z.string().min(1),
  expected: z.array(z.string()),
  lang: z.enum(['en', 'zh']),
  tags: z.array(z.string()).default([]),
  split: z.string().default('main'),
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
  /** Share of answered questions whose answer is in the question's language. */
  sameLanguage: number;
}

export interface Outcome {
  question: string;
  expected: string[];
  split: string;
  lang: string;
  tags: string[];
  ranked: string[];
  answered: boolean;
  cited?: string;
  /** The language the answer was written in. */
  answerLanguage: string;
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
    return {
      ...item,
      ranked,
      answered: answer.answered,
      cited,
      answerLanguage: answer.language,
      confidence: answer.confidence,
      ok,
    };
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
    sameLanguage: share(
      outcomes.filter((o) => o.answered),
      (o) => o.answerLanguage === o.lang,
    ),
  };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

const HEADER =
  'slice            in/oos   top-1  recall@3  answered-ok  false-abst  wrong-ans  oos-abst  same-lang';

function row(name: string, r: Rates): string {
  return [
    name.padEnd(16),
    `${r.inScope}/${r.outOfScope}`.padEnd(8),
    pct(r.top1).padStart(6),
    pct(r.recallAt3).padStart(9),
    pct(r.answeredCorrectly).padStart(12),
    pct(r.falseAbstention).padStart(11),
    pct(r.wrongAnswer).padStart(10),
    pct(r.outOfScopeAbstention).padStart(9),
    pct(r.sameLanguage).padStart(10),
  ].join(' ');
}

/** One block per file: all, by language, and by slice where a file has several. */
export function formatReport(file: EvalFile, report: EvalReport): string[] {
  const rows: [string, Rates][] = [
    ['all', report.overall],
    ...Object.entries(report.byLang)
      .sort()
      .map(([k, r]): [string, Rates] => [`lang:${k}`, r]),
  ];
  const splits = Object.entries(report.bySplit);
  if (splits.length > 1) {
    rows.push(['dev+holdout', report.targetSet]);
    rows.push(...splits.map(([k, r]): [string, Rates] => [`split:${k}`, r]));
  }
  const lines = [`== ${file.name} (${path.basename(file.path)})`, HEADER, ...rows.map(([n, r]) => row(n, r))];
  if (file.showMisses) {
    for (const f of report.failures) {
      lines.push(
        `  miss[${f.split}/${f.lang}]: ${JSON.stringify(f.question)} expected=${f.expected.join('|') || '(abstain)'} ` +
          `answered=${f.answered} cited=${f.cited ?? '-'} ranked=${f.ranked.slice(0, 3).join(',')} conf=${f.confidence}`,
      );
    }
  } else if (report.failures.length > 0) {
    lines.push(`  (${report.failures.length} misses; questions not printed for this set)`);
  }
  return lines;
}

function main(): void {
  const faq = buildOfflineFaq(loadKnowledge());
  const results: Record<string, EvalReport | Omit<EvalReport, 'failures'>> = {};
  for (const file of evalFiles()) {
    const report = runEvaluation(faq, loadEvalSet(file.path));
    console.log(formatReport(file, report).join('\n'));
    console.log('');
    results[file.name] = file.showMisses
      ? report
      : {
          targetSet: report.targetSet,
          overall: report.overall,
          bySplit: report.bySplit,
          byLang: report.byLang,
        };
  }
  fs.mkdirSync(path.dirname(RESULTS_PATH), { recursive: true });
  fs.writeFileSync(
    RESULTS_PATH,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), ...results }, null, 2)}\n`,
  );
  console.log(`written ${path.relative(process.cwd(), RESULTS_PATH)}`);
}

if (require.main === module) main();
