import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { runFaqBench } from './faqBench';
import { runWorkflowBench } from './workflowBench';

/** `npm run bench`: every benchmark, a table each, all figures in bench/results/bench.json. */
async function main() {
  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, node: process.version, at: new Date().toISOString() },
  };
  console.log('[1/2] FAQ: index build and offline answer latency');
  results.faq = await runFaqBench();
  console.log('[2/2] workflow API: actions per second and the 50-way approve race');
  results.workflow = await runWorkflowBench();
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'bench.json'), JSON.stringify(results, null, 2));
  console.log(`figures written to ${path.join(out, 'bench.json')}`);
}

void main();
