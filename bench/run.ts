import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { runFaqBench } from './faqBench';
import { runWorkflowBench } from './workflowBench';
import { runNotifyBench } from './notifyBench';
import { runTurnBench } from './turnBench';
import { execSync } from 'node:child_process';

/** `npm run bench`: every benchmark, a table each, all figures in bench/results/bench.json. */
async function main() {
  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, node: process.version, at: new Date().toISOString() },
  };
  // The turn benchmark runs the product as `npm start` does, from dist/.
  console.log('[0/4] building dist/ (npm run build)');
  execSync('npm run --silent build', { cwd: path.resolve(__dirname, '..'), stdio: 'inherit' });
  console.log('[1/4] FAQ: index build and offline answer latency');
  results.faq = await runFaqBench();
  console.log('[2/4] workflow API: actions per second and the 50-way approve race');
  results.workflow = await runWorkflowBench();
  console.log(
    '[3/4] notifications: 1,000 state changes fanned out to a local connector stub and SMTP server',
  );
  results.notify = await runNotifyBench('chat');
  results.notifyEmail = await runNotifyBench('email');
  results.notifyBoth = await runNotifyBench('both');
  console.log('[4/4] bot turns against a bare echo bot, start-up time, memory over 20,000 turns');
  results.turns = await runTurnBench();
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'bench.json'), JSON.stringify(results, null, 2));
  console.log(`figures written to ${path.join(out, 'bench.json')}`);
}

void main();
