import { z } from 'zod';
import type { KnowledgeEntry } from './knowledge';
import type { Tokenizer } from './tokenizer';

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);
const patterns = z.object({ en: z.array(regex), zh: z.array(regex) }).strict();

/** scope.json `modelOutput`: what a model's answer may never say. */
export const outputRulesSchema = z
  .object({
    /** Statements about an application's status or approval ("you are approved"). */
    statusClaims: patterns,
    /** Words that make such a statement general ("once your application is approved, …"). */
    conditionals: patterns,
  })
  .strict();
export type OutputRules = z.infer<typeof outputRulesSchema>;

export const EMPTY_OUTPUT_RULES: OutputRules = {
  statusClaims: { en: [], zh: [] },
  conditionals: { en: [], zh: [] },
};

export interface CheckOptions {
  /** Share of a sentence's content words that must occur in the cited passages or the question. */
  minSupport: number;
  /** Length in words of a run of the instructions whose appearance in the answer counts as an echo. */
  echoRun: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { minSupport: 0.6, echoRun: 6 };

export type CheckFailure = 'number' | 'unsupported' | 'status-claim' | 'echo';

const NUMBER_WORDS: Record<string, string> = {
  zero: '0',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
  fifteen: '15',
  twenty: '20',
  thirty: '30',
  hundred: '100',
  〇: '0',
  零: '0',
  一: '1',
  两: '2',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  十: '10',
  百: '100',
};
// Digits, English number words, and Chinese numerals standing before a measure word (三个, 五天…).
const NUMBER_PATTERN = new RegExp(
  `\\d+(?:[.,]\\d+)?|\\b(?:${Object.keys(NUMBER_WORDS)
    .filter((w) => /^[a-z]+$/.test(w))
    .join('|')})\\b|[〇零一两二三四五六七八九十百]+(?=[个天日周月年小时分钟次%％个工])`,
  'giu',
);
const CITATION = /\[[^\]\s]+\]/g;
const SENTENCE_END = /(?<=[.!?。！？;；])\s*|\n+/u;

/**
 * Checks a model's answer against the passages it cites before anyone sees it. The model is
 * told to use the passages only, but an answer is shown only if it keeps to them:
 * - every number it states (3, "three", 三) appears in a cited passage;
 * - each sentence's content words come from the cited passages or the question (a claim the
 *   guide does not make has words the guide does not use);
 * - it says nothing about the asker's application's status or approval ("you are approved");
 * - it does not repeat its instructions.
 */
export class AnswerChecker {
  private readonly statusClaims: RegExp | undefined;
  private readonly conditionals: RegExp | undefined;
  private readonly instructionRuns: Set<string>;

  constructor(
    private readonly tokenizer: Tokenizer,
    rules: OutputRules,
    instructions: string,
    private readonly options: CheckOptions = DEFAULT_CHECK_OPTIONS,
  ) {
    this.statusClaims = union([...rules.statusClaims.en, ...rules.statusClaims.zh]);
    this.conditionals = union([...rules.conditionals.en, ...rules.conditionals.zh]);
    this.instructionRuns = new Set(runs(words(instructions), options.echoRun));
  }

  /** The first rule the answer breaks, or undefined when it may be shown. */
  check(answer: string, cited: readonly KnowledgeEntry[], question: string): CheckFailure | undefined {
    const body = answer.replace(CITATION, ' ');
    const sources = cited.map((p) => `${p.title}\n${p.text}\n${p.zh.title}\n${p.zh.text}`).join('\n');

    if (runs(words(body), this.options.echoRun).some((r) => this.instructionRuns.has(r))) return 'echo';

    const known = new Set(numbersIn(sources));
    if (numbersIn(body).some((n) => !known.has(n))) return 'number';

    const sentences = body
      .split(SENTENCE_END)
      .map((s) => s.trim())
      .filter(Boolean);
    for (const sentence of sentences) {
      const claim = this.statusClaims?.test(sentence.normalize('NFKC').toLowerCase());
      if (claim && !this.conditionals?.test(sentence.normalize('NFKC').toLowerCase())) return 'status-claim';
    }

    const supported = new Set([...this.tokenizer.tokenize(sources), ...this.tokenizer.tokenize(question)]);
    for (const sentence of sentences) {
      const terms = this.tokenizer.tokenize(sentence);
      if (terms.length === 0) continue;
      const share = terms.filter((t) => supported.has(t)).length / terms.length;
      if (share < this.options.minSupport) return 'unsupported';
    }
    return undefined;
  }
}

function numbersIn(text: string): string[] {
  return [...text.normalize('NFKC').toLowerCase().matchAll(NUMBER_PATTERN)].map((m) => {
    const raw = m[0].replace(',', '.');
    if (/^\d/.test(raw)) return String(Number(raw));
    if (NUMBER_WORDS[raw]) return NUMBER_WORDS[raw];
    return chineseNumber(raw);
  });
}

/** 三 → 3, 十五 → 15, 二十 → 20: enough for the guide's "three working days". */
function chineseNumber(raw: string): string {
  let total = 0;
  let digit = 0;
  for (const ch of raw) {
    const v = Number(NUMBER_WORDS[ch] ?? 0);
    if (v >= 10) {
      total += (digit || 1) * v;
      digit = 0;
    } else digit = v;
  }
  return String(total + digit);
}

function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function runs(list: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= list.length; i++) out.push(list.slice(i, i + n).join(' '));
  return out;
}

function union(sources: string[]): RegExp | undefined {
  return sources.length ? new RegExp(sources.map((s) => `(?:${s})`).join('|'), 'iu') : undefined;
}
