import { buildOfflineFaq, type BuildOptions } from '../../src/faq/buildAnswerer';
import { loadKnowledge, type Knowledge } from '../../src/faq/knowledge';
import {
  EVAL_SET_PATH,
  loadEvalSet,
  runEvaluation,
  TUNING_BLIND_2_PATH,
  TUNING_BLIND_PATH,
} from './evaluate';

/** Ad-hoc variants measured on the tuning sets: `npx tsx test/faq/tune.ts` (never the held-out set). */
const sets = {
  eval: loadEvalSet(EVAL_SET_PATH),
  blind: loadEvalSet(TUNING_BLIND_PATH),
  blind2: loadEvalSet(TUNING_BLIND_2_PATH),
};
export function measure(name: string, options: BuildOptions = {}, edit?: (k: Knowledge) => void): void {
  const k = loadKnowledge();
  edit?.(k);
  const faq = buildOfflineFaq(k, options);
  const cells: string[] = [];
  for (const [setName, items] of Object.entries(sets)) {
    const r = runEvaluation(faq, items);
    const f = (n: number) => (n * 100).toFixed(1).padStart(5);
    cells.push(
      `${setName}: ok ${f(r.overall.answeredCorrectly)} (en ${f(r.byLang.en.answeredCorrectly)} zh ${f(r.byLang.zh.answeredCorrectly)}) ` +
        `fa ${f(r.overall.falseAbstention)} wr ${f(r.overall.wrongAnswer)} oos ${f(r.overall.outOfScopeAbstention)}`,
    );
  }
  console.log(`${name.padEnd(28)} ${cells.join(' | ')}`);
}

if (require.main === module) {
  // Variants as JSON: [["name", {policy: {...}}], …]; each is also measured with the gate off.
  const variants = JSON.parse(process.argv[2] ?? '[]') as [string, BuildOptions][];
  const noGate = (k: Knowledge) => void (k.scope.outOfScope = []);
  for (const [name, opts] of [['current', {}] as [string, BuildOptions], ...variants]) {
    measure(name, opts);
    measure(`${name}, gate off`, opts, noGate);
  }
}
