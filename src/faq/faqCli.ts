import readline from 'node:readline';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { createFaqService } from './createFaqService';
import type { FaqAnswer } from './types';

/**
 * The FAQ command line (DESIGN.md):
 *   npm run --silent faq -- --json          one question a line on stdin → one JSON object a line
 *   npm run --silent faq                    the same, human-readable
 *   npm run --silent faq -- "How do I …?"   questions as arguments
 * Flags: --offline (never call the LLM even when OPENAI_API_KEY is set).
 * stdout carries answers only; logs go to stderr, warnings and worse unless LOG_LEVEL says otherwise.
 */

const USAGE = `usage: npm run --silent faq -- [--json] [--offline] ["question" …]
  Reads questions one per line from stdin (or takes them as arguments) and answers each from the onboarding guide.
  --json     one JSON object per line: {"question","answered","answer","citations":[{"id","title"}],"confidence"}
  --offline  do not use the LLM even if OPENAI_API_KEY is set`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const offline = args.includes('--offline');
  const unknown = args.filter((a) => a.startsWith('-') && !['--json', '--offline'].includes(a));
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  const questions = args.filter((a) => !a.startsWith('-'));

  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const level = process.env.LOG_LEVEL?.trim() ? config.logLevel : 'warn';
  const logger = createLogger(level, pino.destination(2));
  const faq = await createFaqService({
    openai: config.openai,
    useLlm: !offline,
    keyvUrl: config.keyvUrl,
    keyvTimeoutMs: config.keyvTimeoutMs,
    timeZone: config.calendar.timeZone,
    logger,
  });

  const print = (answer: FaqAnswer) => process.stdout.write(json ? toJsonLine(answer) : toText(answer));
  if (questions.length > 0) {
    for (const q of questions) print(await faq.answer(q));
    return 0;
  }
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    // A blank line is not a question: nothing to answer, nothing printed.
    if (!line.trim()) continue;
    print(await faq.answer(line));
  }
  return 0;
}

/** Exactly the DESIGN.md contract's fields, in its order. */
export function toJsonLine(a: FaqAnswer): string {
  return `${JSON.stringify({
    question: a.question,
    answered: a.answered,
    answer: a.answer,
    citations: a.citations.map((c) => ({ id: c.id, title: c.title })),
    confidence: a.confidence,
  })}\n`;
}

function toText(a: FaqAnswer): string {
  const indent = (s: string) => s.replace(/\n/g, '\n   ');
  const lines = [`Q: ${a.question}`, `A: ${indent(a.answer)}`];
  if (a.didYouMean?.length) lines.push(`   (${a.didYouMean.map((c) => c.id).join(', ')})`);
  const related = a.suggestions?.filter((s) => s.kind === 'related') ?? [];
  if (related.length) lines.push(`   See also: ${related.map((s) => s.title).join('; ')}`);
  lines.push(
    `   [${a.answered ? 'answered' : 'not answered'}, confidence ${a.confidence.toFixed(2)}, ${a.source}]`,
    '',
  );
  return `${lines.join('\n')}\n`;
}

// A closed pipe (`… | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
