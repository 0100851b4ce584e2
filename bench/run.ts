import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { runFaqBench } from './faqBench';
import { runWorkflowBench } from './workflowBench';
import { runNotifyBench } from './notifyBench';

/** `npm run bench`: every benchmark, a table each, all figures in bench/results/bench.json. */
async function main() {
  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, node: process.version, at: new Date().toISOString() },
  };
  console.log('[1/3] FAQ: index build and offline answer latency');
  results.faq = await runFaqBench();
  console.log('[2/3] workflow API: actions per second and the 50-way approve race');
  results.workflow = await runWorkflowBench();
  console.log('[3/3] notifications: 1,000 state changes fanned out to a local connector stub');
  results.notify = await runNotifyBench();
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'bench.json'), JSON.stringify(results, null, 2));
  console.log(`figures written to ${path.join(out, 'bench.json')}`);
}

void main();
