import fs from 'node:fs';
import {
  evalFiles,
  formatReport,
  HELDOUT_PATH,
  loadEvalSet,
  runEvaluation,
  TUNING_BLIND_2_PATH,
  TUNING_BLIND_PATH,
  type EvalItem,
} from './evaluate';
import { realFaq, realKnowledge } from './helpers';

/**
 * The targets on the evaluation set (the "dev" and "holdout" slices, written before
 * the answerer was tuned): top-1 ≥ 95 %, out-of-scope abstention ≥ 95 %, false abstention ≤ 5 %.
 * The "fresh" slice was written after tuning, to estimate how the answerer does on questions
 * nobody tuned for; it is reported by `npm run faq:eval` and guarded here by looser floors.
 */
const items = loadEvalSet();
const ids = new Set(realKnowledge().entries.map((e) => e.id));

describe('the evaluation set', () => {
  it('is big and varied enough', () => {
    const main = items.filter((i) => i.split !== 'fresh');
    expect(main.length).toBeGreaterThanOrEqual(60);
    expect(main.filter((i) => i.expected.length === 0).length).toBeGreaterThanOrEqual(15);
    expect(main.filter((i) => i.lang === 'zh').length).toBeGreaterThanOrEqual(10);
    expect(main.filter((i) => i.tags.includes('typo')).length).toBeGreaterThanOrEqual(5);
  });

  it('has at least three paraphrases for every section and FAQ, naming only real entries', () => {
    const perEntry = new Map<string, number>();
    for (const i of items.filter((x) => x.split !== 'fresh')) {
      for (const id of i.expected) perEntry.set(id, (perEntry.get(id) ?? 0) + 1);
    }
    const short = [...ids].filter((id) => (perEntry.get(id) ?? 0) < 3);
    expect(short).toEqual([]);
    for (const i of items) for (const id of i.expected) expect(ids).toContain(id);
  });
});

describe('offline answer quality', () => {
  const faq = realFaq();
  const slice = (pred: (i: EvalItem) => boolean) => runEvaluation(faq, items.filter(pred));

  it('meets the targets on the evaluation set', () => {
    // On failure, `npm run faq:eval` lists the questions that missed.
    const { targetSet: overall } = slice(() => true);
    expect(overall.top1).toBeGreaterThanOrEqual(0.95);
    expect(overall.outOfScopeAbstention).toBeGreaterThanOrEqual(0.95);
    expect(overall.falseAbstention).toBeLessThanOrEqual(0.05);
    expect(overall.recallAt3).toBeGreaterThanOrEqual(0.95);
    // Answering wrongly is worse than abstaining: keep it rare.
    expect(overall.wrongAnswer).toBeLessThanOrEqual(0.05);
  });

  it('does not regress on the fresh questions written after tuning', () => {
    const { overall } = slice((i) => i.split === 'fresh');
    expect(overall.top1).toBeGreaterThanOrEqual(0.8);
    expect(overall.outOfScopeAbstention).toBeGreaterThanOrEqual(0.85);
    expect(overall.falseAbstention).toBeLessThanOrEqual(0.15);
  });
});

describe.each([
  [
    'the blind tuning set',
    TUNING_BLIND_PATH,
    { inScope: 150, outOfScope: 50, zhInScope: 40, sameLanguage: 1 },
  ],
  // Its Chinese half holds a bare "ACPN", answered in English (no Han character to go by).
  [
    'the second blind tuning set',
    TUNING_BLIND_2_PATH,
    { inScope: 200, outOfScope: 60, zhInScope: 100, sameLanguage: 0.99 },
  ],
])('%s (written without reading the knowledge base)', (_name, file, size) => {
  const faq = realFaq();
  const report = runEvaluation(faq, loadEvalSet(file));

  it('is big and varied enough to tune on', () => {
    expect(report.overall.inScope).toBeGreaterThanOrEqual(size.inScope);
    expect(report.overall.outOfScope).toBeGreaterThanOrEqual(size.outOfScope);
    expect(report.byLang.zh.inScope).toBeGreaterThanOrEqual(size.zhInScope);
  });

  // Floors a little under the figures measured when the answerer was last tuned (docs/faq.md),
  // in both languages: a change that loses several questions fails here. Raised from 93 % when
  // both sets reached 97 % (the goal is 95 % on unseen questions; these sets were tuned on).
  it.each(['en', 'zh'])(
    '%s: answers correctly, rarely wrongly, and refuses what the guide does not cover',
    (lang) => {
      const r = report.byLang[lang];
      expect(r.answeredCorrectly).toBeGreaterThanOrEqual(0.95);
      expect(r.wrongAnswer).toBeLessThanOrEqual(0.03);
      expect(r.outOfScopeAbstention).toBeGreaterThanOrEqual(0.95);
      expect(r.sameLanguage).toBeGreaterThanOrEqual(size.sameLanguage);
    },
  );
});

describe('npm run faq:eval', () => {
  it('reports the held-out set, once added, as its own block with figures only, never its questions', () => {
    const items: EvalItem[] = [
      {
        question: 'zorblax quarterly audit',
        expected: ['guide-2.2-review'],
        lang: 'en',
        tags: [],
        split: 'heldout',
      },
      { question: '量子纠缠审计', expected: [], lang: 'zh', tags: [], split: 'heldout' },
    ];
    const report = runEvaluation(realFaq(), items);
    const lines = formatReport({ name: 'heldout', path: HELDOUT_PATH, showMisses: false }, report).join('\n');
    expect(lines).toMatch(/^== heldout \(heldout-set\.json\)/);
    expect(lines).toMatch(/^lang:en +1\/0 /m);
    expect(lines).toMatch(/^lang:zh +0\/1 /m);
    expect(lines).not.toContain('zorblax');
    expect(lines).toContain('1 misses; questions not printed');
  });

  it('lists the project set and both tuning sets, and the held-out set only when its file exists', () => {
    const names = evalFiles().map((f) => f.name);
    expect(names.slice(0, 3)).toEqual(['eval-set', 'tuning-blind', 'tuning-blind-2']);
    expect(names.includes('heldout')).toBe(fs.existsSync(HELDOUT_PATH));
  });
});
