import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { chineseCharsSchema, EMPTY_CHINESE_CHARS, type ChineseCharsData } from './chineseChars';
import { cueSchema } from './intentCues';
import type { Language } from './language';
import { APPLICATION_STATUSES } from './types';
import { EMPTY_SCOPE, scopeSchema, type ScopeData } from './scopeGate';
import { EMPTY_WORD_FREQUENCY, wordFrequencySchema, type WordFrequencyData } from './wordFrequency';

/**
 * The knowledge base: the onboarding guide as data (knowledge/*.json), validated here so a
 * bad edit is caught by `npm run kb:check` and at start-up, never by a confused answer.
 */

const text = z.string().trim().min(1, 'must not be empty');
const entryId = z
  .string()
  .regex(/^(guide|faq)-[a-z0-9][a-z0-9.-]*$/, 'expected an id like guide-2.1-step2 or faq-q1 (lower case)');

const bilingual = (minEn: number, minZh: number) =>
  z
    .object({
      en: z.array(text).min(minEn, `needs at least ${minEn} English item(s)`),
      zh: z.array(text).min(minZh, `needs at least ${minZh} Simplified Chinese item(s)`),
    })
    .strict();

export const entrySchema = z
  .object({
    id: entryId,
    kind: z.enum(['guide', 'faq']),
    section: text,
    title: text,
    /** The guide's heading lines this entry stands for, verbatim (used by the coverage check). */
    headings: z.array(text),
    /** The guide's own words, verbatim where possible: this is what an extractive answer quotes. */
    text,
    /**
     * The reviewed Simplified Chinese title and text, shown to a Chinese asker; the English
     * `text` stays the authority and is quoted beside it.
     */
    zh: z.object({ title: text, text }).strict(),
    questions: bilingual(2, 1),
    synonyms: bilingual(1, 1),
    links: z.array(z.object({ title: text, url: z.url() }).strict()),
    next: entryId.nullable(),
    related: z.array(entryId),
    /** Application statuses this entry is about; lets a progress question fall back on the asker's status. */
    statuses: z.array(z.enum(APPLICATION_STATUSES)),
  })
  .strict();

export const lexiconSchema = z
  .object({
    stopwords: z.object({ en: z.array(text), zh: z.array(text) }).strict(),
    /** Chinese words the segmenter keeps whole (domain terms and common words). */
    dictionary: z.array(text),
    /** Groups of interchangeable terms, English and Chinese, used to expand questions. */
    synonyms: z.array(z.array(text).min(2, 'a synonym group needs at least two terms')),
    /** Intent cues that rerank the best few entries (correction, withdrawal, error, deadline, e-mail, next step). */
    cues: z.array(cueSchema).default([]),
  })
  .strict();

const statusSentences = z
  .object(
    Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, text])) as Record<
      (typeof APPLICATION_STATUSES)[number],
      typeof text
    >,
  )
  .strict();

/** The fixed sentences of answers in one language. */
const chrome = {
  messages: z
    .object({
      abstain: text,
      handover: text,
      didYouMean: text,
      source: text.refine((s) => s.includes('{id}') || s.includes('{title}'), {
        message: 'must mention {id} or {title} so answers cite their section',
      }),
      next: text.refine((s) => s.includes('{title}'), { message: 'must contain {title}' }),
      link: text.refine((s) => s.includes('{url}'), { message: 'must contain {url}' }),
      /** Introduces the guide's English text under a translated answer. */
      original: text,
    })
    .strict(),
  /** How the company name joins a status sentence's {company}: " for {name}", "（{name}）". */
  // Not trimmed: the English form starts with a space (" for {name}").
  company: z.string().refine((s) => s.includes('{name}'), { message: 'must contain {name}' }),
  statusSentences,
  dueSentence: text.refine((s) => s.includes('{due}'), { message: 'must contain {due}' }),
  overdueSentence: text,
};

/** English at the top level (the original layout), Simplified Chinese under `zh` with the same fields. */
export const answeringSchema = z
  .object({
    ...chrome,
    progressTriggers: z.object({ en: z.array(text), zh: z.array(text) }).strict(),
    zh: z.object(chrome).strict(),
  })
  .strict();

/** The answer sentences of one language. */
export type AnsweringChrome = Pick<AnsweringText, keyof typeof chrome>;

/** The sentences for `language`: English from the top level, Chinese from `zh`. */
export function chromeFor(answering: AnsweringText, language: Language): AnsweringChrome {
  return language === 'zh' ? answering.zh : answering;
}

export type KnowledgeEntry = z.infer<typeof entrySchema>;
export type Lexicon = z.infer<typeof lexiconSchema>;
export type AnsweringText = z.infer<typeof answeringSchema>;

export interface Knowledge {
  entries: KnowledgeEntry[];
  lexicon: Lexicon;
  answering: AnsweringText;
  /** General-language word frequency (generated data); empty when absent. */
  wordFrequency: WordFrequencyData;
  /** The out-of-scope gate and injection patterns; empty when absent. */
  scope: ScopeData;
  /** Simplified forms and readings of Han characters (generated data); empty when absent. */
  chineseChars: ChineseCharsData;
}

/** The files as read from disk, before validation. */
export interface RawKnowledge {
  sections: unknown;
  faq: unknown;
  lexicon: unknown;
  answering: unknown;
  /** Optional: a knowledge base without it weighs every unknown word as rare. */
  wordFrequency?: unknown;
  scope?: unknown;
  /** Optional: without it, traditional characters and homophone typos are not recognised. */
  chineseChars?: unknown;
}

export const KNOWLEDGE_FILES = {
  sections: 'sections.json',
  faq: 'faq.json',
  lexicon: 'lexicon.json',
  answering: 'answering.json',
  wordFrequency: 'word-frequency.json',
  scope: 'scope.json',
  chineseChars: 'chinese-chars.json',
} as const;

export class KnowledgeError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid knowledge base:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

/** Validates the raw files; returns the knowledge, or every problem found, each naming its entry. */
export function validateKnowledge(raw: RawKnowledge): { knowledge?: Knowledge; issues: string[] } {
  const issues: string[] = [];
  const entries: KnowledgeEntry[] = [];

  for (const file of ['sections', 'faq'] as const) {
    const list = raw[file];
    if (!Array.isArray(list)) {
      issues.push(`${KNOWLEDGE_FILES[file]}: expected an array of entries`);
      continue;
    }
    list.forEach((item: unknown, i) => {
      const where = describeEntry(item, `${KNOWLEDGE_FILES[file]}[${i}]`);
      const parsed = entrySchema.safeParse(item);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          issues.push(`${where}${fieldPath(issue.path)}: ${issue.message}`);
        return;
      }
      const expectedKind = file === 'faq' ? 'faq' : 'guide';
      if (parsed.data.kind !== expectedKind)
        issues.push(`${where}.kind: entries in ${KNOWLEDGE_FILES[file]} must be "${expectedKind}"`);
      if (!parsed.data.id.startsWith(`${parsed.data.kind}-`)) {
        issues.push(`${where}.id: a ${parsed.data.kind} entry's id must start with "${parsed.data.kind}-"`);
      }
      entries.push(parsed.data);
    });
  }

  const lexicon = lexiconSchema.safeParse(raw.lexicon);
  if (!lexicon.success)
    for (const i of lexicon.error.issues)
      issues.push(`${KNOWLEDGE_FILES.lexicon}${fieldPath(i.path)}: ${i.message}`);
  const answering = answeringSchema.safeParse(raw.answering);
  if (!answering.success) {
    for (const i of answering.error.issues)
      issues.push(`${KNOWLEDGE_FILES.answering}${fieldPath(i.path)}: ${i.message}`);
  }

  const wordFrequency = wordFrequencySchema.safeParse(raw.wordFrequency ?? EMPTY_WORD_FREQUENCY);
  if (!wordFrequency.success)
    for (const i of wordFrequency.error.issues)
      issues.push(`${KNOWLEDGE_FILES.wordFrequency}${fieldPath(i.path)}: ${i.message}`);

  const scope = scopeSchema.safeParse(raw.scope ?? EMPTY_SCOPE);
  if (!scope.success)
    for (const i of scope.error.issues)
      issues.push(`${KNOWLEDGE_FILES.scope}${fieldPath(i.path)}: ${i.message}`);

  const chineseChars = chineseCharsSchema.safeParse(raw.chineseChars ?? EMPTY_CHINESE_CHARS);
  if (!chineseChars.success)
    for (const i of chineseChars.error.issues)
      issues.push(`${KNOWLEDGE_FILES.chineseChars}${fieldPath(i.path)}: ${i.message}`);

  issues.push(...crossCheck(entries));
  if (lexicon.success) issues.push(...checkSynonymGroups(lexicon.data));
  if (lexicon.success) {
    const ids = new Set(entries.map((e) => e.id));
    lexicon.data.cues.forEach((cue, i) => {
      for (const id of cue.entries)
        if (!ids.has(id))
          issues.push(`${KNOWLEDGE_FILES.lexicon}.cues[${i}] (${cue.intent}): "${id}" is not an entry id`);
    });
  }

  if (
    issues.length > 0 ||
    !lexicon.success ||
    !answering.success ||
    !wordFrequency.success ||
    !scope.success ||
    !chineseChars.success
  )
    return { issues };
  return {
    knowledge: {
      entries,
      lexicon: lexicon.data,
      answering: answering.data,
      wordFrequency: wordFrequency.data,
      scope: scope.data,
      chineseChars: chineseChars.data,
    },
    issues,
  };
}

/** Unique ids, references that resolve, no entry pointing at itself. */
function crossCheck(entries: KnowledgeEntry[]): string[] {
  const issues: string[] = [];
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) issues.push(`entry ${e.id}: duplicate id`);
    ids.add(e.id);
  }
  for (const e of entries) {
    const refs = [...(e.next ? [['next', e.next]] : []), ...e.related.map((r) => ['related', r])];
    for (const [field, ref] of refs) {
      if (!ids.has(ref)) issues.push(`entry ${e.id}.${field}: "${ref}" is not an entry id`);
      else if (ref === e.id) issues.push(`entry ${e.id}.${field}: an entry cannot point at itself`);
    }
    const questions = new Set<string>();
    for (const q of [...e.questions.en, ...e.questions.zh]) {
      const key = normalizeQuestion(q);
      if (questions.has(key)) issues.push(`entry ${e.id}.questions: "${q}" is listed twice`);
      questions.add(key);
    }
  }
  return issues;
}

/** A term in two groups would silently merge them; make the author decide. */
function checkSynonymGroups(lexicon: Lexicon): string[] {
  const issues: string[] = [];
  const seen = new Map<string, number>();
  lexicon.synonyms.forEach((group, i) => {
    for (const term of group) {
      const key = term.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined && other !== i) {
        issues.push(`${KNOWLEDGE_FILES.lexicon}.synonyms[${i}]: "${term}" is also in synonyms[${other}]`);
      }
      seen.set(key, i);
    }
  });
  return issues;
}

function describeEntry(item: unknown, fallback: string): string {
  const id = item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : undefined;
  return typeof id === 'string' && id ? `entry ${id} (${fallback})` : fallback;
}

function fieldPath(p: PropertyKey[]): string {
  return p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
}

/** Case-, space- and punctuation-insensitive form used to compare questions. */
export function normalizeQuestion(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

/** Finds the repository's knowledge/ folder from wherever this file runs (src/ under tsx, dist/src/ when built). */
export function findKnowledgeDir(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'knowledge');
    if (fs.existsSync(path.join(candidate, KNOWLEDGE_FILES.sections))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`knowledge/ not found above ${start}`);
    dir = parent;
  }
}

export function readKnowledgeFiles(dir: string): RawKnowledge {
  const read = (name: string, optional = false): unknown => {
    const file = path.join(dir, name);
    if (optional && !fs.existsSync(file)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new KnowledgeError([`${name}: ${(err as Error).message}`]);
    }
  };
  return {
    sections: read(KNOWLEDGE_FILES.sections),
    faq: read(KNOWLEDGE_FILES.faq),
    lexicon: read(KNOWLEDGE_FILES.lexicon),
    answering: read(KNOWLEDGE_FILES.answering),
    wordFrequency: read(KNOWLEDGE_FILES.wordFrequency, true),
    scope: read(KNOWLEDGE_FILES.scope, true),
    chineseChars: read(KNOWLEDGE_FILES.chineseChars, true),
  };
}

/** Reads and validates knowledge/; throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string = findKnowledgeDir()): Knowledge {
  const { knowledge, issues } = validateKnowledge(readKnowledgeFiles(dir));
  if (!knowledge) throw new KnowledgeError(issues);
  return knowledge;
}
