import { loadEvalSet, TUNING_BLIND_PATH, EVAL_SET_PATH } from '../../test/faq/evaluate';
import { loadKnowledge } from '../../src/faq/knowledge';
import { ScopeGate } from '../../src/faq/scopeGate';
const gate = new ScopeGate(loadKnowledge().scope);
for (const f of [EVAL_SET_PATH, TUNING_BLIND_PATH]) for (const i of loadEvalSet(f)) {
  const s = gate.stripInjection(i.question); const t = gate.outOfScope(s.text);
  if (i.expected.length > 0 && (t || s.injected)) console.log('IN-SCOPE GATED', t, s.injected, i.question);
}
