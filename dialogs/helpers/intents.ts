import type { Language } from '../../src/i18n/language';
import type { Status } from '../../src/workflow/machine';
import commands from './commands.json';
import languageWords from './languageWords.json';
import phrases from './phrases.json';
import yesNo from './yesNo.json';

/** The menu's commands (commands.json; Teams' command menu lists the same). */
export type MenuCommand = keyof typeof commands;
/** Commands typed with what follows them: "lookup Shenzhen", "reply 12 Yes, you can". */
export type ArgCommand = keyof typeof phrases.argCommands;
/** Other words that name something to show: support's tickets, the partner's own application and terms. */
export type Word = keyof typeof phrases.words;
export type Command = MenuCommand | ArgCommand | Word;
/** What a partner's words mean for their application (phrases.json). */
export type Intent = keyof typeof phrases.intents;
/** What an intent does in a status: a step action, or "not yet". */
export type StepMove = string;

const menu = Object.entries(commands) as [MenuCommand, string[]][];
const words = Object.entries(phrases.words) as [Word, string[]][];
const argCommands = Object.entries(phrases.argCommands) as [ArgCommand, string[]][];
const intents = Object.entries(phrases.intents) as [Intent, string[]][];
/** Found inside a longer sentence too ("why was I rejected? nobody told me"). */
const CONTAINED: ReadonlySet<Intent> = new Set(['whyRejected', 'lostCode']);

const QUESTION_START =
  /^(what|why|how|when|where|who|which|whose|can|could|do|does|did|is|are|should|will|would|may|must|what's|how's|where's|who's|tell me|explain|i want to know|i'd like to know|any idea|is there|are there|请问|是不是|能不能|可不可以|可以吗)\b/i;
const HAN_QUESTION = /(吗|呢|什么|为什么|怎么|如何|哪|是否|多久|几|多少)/;
const HAN = /[\u3400-\u9fff]/;

/** Lower case, one space between words, no end punctuation: how typed text is compared with phrases. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?。！？~～,，;；:：]+$/u, '')
    .replace(/^[\s,，]+/u, '');
}

/** Drops the polite openings ("please", "I'd like to", "请") that do not change what is asked. */
function withoutPolite(t: string): string {
  let out = t;
  for (let changed = true; changed;) {
    changed = false;
    for (const p of phrases.polite) {
      const next = startsWithPhrase(out, p);
      if (next !== undefined && next.length > 0) {
        out = next;
        changed = true;
      }
    }
  }
  return out;
}

/** The rest of `t` after `phrase` at its start (a whole word for Latin text), else undefined. */
function startsWithPhrase(t: string, phrase: string): string | undefined {
  if (!t.startsWith(phrase)) return undefined;
  const rest = t.slice(phrase.length);
  if (HAN.test(phrase)) return rest.trim();
  return rest === '' || /^[\s,，:：]/.test(rest) ? rest.replace(/^[\s,，:：]+/, '') : undefined;
}

/** Whether `phrase` occurs in `t` as whole words (Latin) or as characters (Chinese). */
function containsPhrase(t: string, phrase: string): boolean {
  if (HAN.test(phrase)) return t.includes(phrase);
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}'])${escaped}($|[^\\p{L}\\p{N}'])`, 'u').test(t);
}

/** A typed word or phrase that is one of our commands, with what follows an argument command. */
export function parseCommand(text: string): { command: Command; arg?: string } | undefined {
  const t = normalize(text);
  const plain = withoutPolite(t);
  for (const candidate of [t, plain]) {
    const m = menu.find(([, ws]) => ws.includes(candidate))?.[0];
    if (m) return { command: m };
    const w = words.find(([, ws]) => ws.includes(candidate))?.[0];
    if (w) return { command: w };
  }
  // The argument keeps what was typed (case, punctuation): a company name, an answer.
  const typed = text.trim();
  for (const [command, ws] of argCommands) {
    for (const word of [...ws].sort((a, b) => b.length - a.length)) {
      if (typed.toLowerCase().startsWith(word)) {
        const rest = typed.slice(word.length);
        if (!HAN.test(word) && rest !== '' && !/^[\s:：,，]/.test(rest)) continue;
        const arg = rest.replace(/^[\s:：,，]+/, '').trim();
        if (arg) return { command, arg };
        if (command === 'lookup') return { command };
      }
    }
  }
  return undefined;
}

/** The menu command of a typed word, if it is one (the manifest's menu test uses it). */
export function commandOf(text: string): MenuCommand | undefined {
  const c = parseCommand(text)?.command;
  return c && c in commands ? (c as MenuCommand) : undefined;
}

/** What a partner's words mean, if they are one of the intents (whole answer, or inside for a few). */
export function intentOf(text: string): Intent | undefined {
  const t = withoutPolite(normalize(text));
  const whole = intents.find(([, ps]) => ps.includes(t))?.[0];
  if (whole) return whole;
  return intents.find(([name, ps]) => CONTAINED.has(name) && ps.some((p) => containsPhrase(t, p)))?.[0];
}

/** The step move an intent means for an application in `status`, if any (phrases.json byStatus). */
export function moveFor(intent: Intent, status: Status): StepMove | undefined {
  return (phrases.byStatus as Partial<Record<Status, Partial<Record<Intent, string>>>>)[status]?.[intent];
}

/** Text that reads as a question, with or without "?", to be answered rather than taken as input. */
export function isQuestion(text: string): boolean {
  const t = text.trim();
  return /[?？]\s*$/.test(t) || QUESTION_START.test(t) || HAN_QUESTION.test(t);
}

/**
 * Yes or no in either language: a phrase of yesNo.json, where any negation makes it no
 * ("I don't agree", "不同意"); both or neither is no answer.
 */
export function yesNoOf(text: string): boolean | undefined {
  const t = normalize(text);
  if (!t) return undefined;
  const has = (list: string[]) => list.some((p) => containsPhrase(t, p));
  if (yesNo.no.includes(t)) return false;
  if (yesNo.yes.includes(t)) return true;
  const yes = has(yesNo.yes);
  const no = has(yesNo.no);
  // "yes … no" is no answer at all; a negated yes ("I don't agree") is no.
  if (yes && no) return undefined;
  if (no || (yes && has(yesNo.negation))) return false;
  return yes ? true : undefined;
}

const LANGUAGE_WORDS: [Language, string[]][] = [
  ['en', languageWords.en],
  ['zh-CN', languageWords['zh-CN']],
];

/** A language named on its own ("English", "中文"): the person chooses it. */
export function languageChoiceOf(text: string): Language | undefined {
  const t = normalize(text);
  return LANGUAGE_WORDS.find(([, ws]) => ws.includes(t))?.[0];
}
