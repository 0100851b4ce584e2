import MiniSearch from 'minisearch';
import { DEFAULT_RETRIEVER_OPTIONS, fieldTexts, FIELDS, indexTerms } from '../../src/faq/retriever';
import { EVAL_SET_PATH, loadEvalSet, TUNING_BLIND_2_PATH, TUNING_BLIND_PATH } from './evaluate';
import { realFaq, realKnowledge } from './helpers';

/**
 * The precomputed BM25+ index (src/faq/bm25Index.ts) replaced minisearch for speed. It must
 * rank and score as minisearch does with the options the answerer was tuned with, so the same
 * index is built both ways here and every evaluation question is searched in both.
 */
describe('the precomputed BM25+ index scores as minisearch does', () => {
  const faq = realFaq();
  const entries = realKnowledge().entries;
  const mini = new MiniSearch<Record<string, string>>({
    fields: [...FIELDS],
    tokenize: (text) => text.split('\n').flatMap((line) => indexTerms(faq.tokenizer.tokens(line))),
    processTerm: (term) => term,
    searchOptions: { tokenize: (q) => q.split(' ').filter(Boolean), processTerm: (term) => term },
  });
  mini.addAll(entries.map((e) => ({ id: e.id, ...fieldTexts(e) })));
  const questions = [EVAL_SET_PATH, TUNING_BLIND_PATH, TUNING_BLIND_2_PATH].flatMap((file) =>
    loadEvalSet(file).map((i) => i.question),
  );

  it('over every evaluation question: the same entries, in the same order, with the same scores', () => {
    let compared = 0;
    for (const question of questions) {
      const analysis = faq.retriever.analyze(question);
      if (analysis.expansion.original.length === 0) continue;
      const query = faq.retriever.queryFor(analysis);
      const expected = mini
        .search(query.map((q) => q.term).join(' '), {
          boost: DEFAULT_RETRIEVER_OPTIONS.boost,
          boostTerm: (_term, i) => query[i].boost,
          prefix: (_term, i) => query[i].prefix,
          combineWith: 'OR',
        })
        .slice(0, 5);
      const actual = faq.retriever.search(analysis, 5);
      expect({ question, ids: actual.map((h) => h.entry.id) }).toEqual({
        question,
        ids: expected.map((r) => r.id),
      });
      actual.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i].score, 6));
      actual.forEach((h, i) => expect([...h.matched].sort()).toEqual([...expected[i].queryTerms].sort()));
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });
});
