import type { Language } from '../../src/i18n/language';
import commands from './commands.json';
import languageWords from './languageWords.json';

export type Command = keyof typeof commands;

const table = Object.entries(commands) as [Command, string[]][];
const QUESTION_START =
  /^(what|why|how|when|where|who|which|whose|can|could|do|does|did|is|are|should|will|would|may|must|what's|how's)\b/i;
const HAN_QUESTION = /(吗|呢|什么|为什么|怎么|如何|哪|是否|多久|几)/;

/** A typed word that is one of our commands (the words are data in commands.json). */
export function commandOf(text: string): Command | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[.!?。！？]+$/, '');
  return table.find(([, words]) => words.includes(t))?.[0];
}

/** Text that reads as a question, to be answered from the guide rather than taken as input. */
export function isQuestion(text: string): boolean {
  const t = text.trim();
  return /[?？]\s*$/.test(t) || QUESTION_START.test(t) || HAN_QUESTION.test(t);
}

const LANGUAGE_WORDS: [Language, string[]][] = [
  ['en', languageWords.en],
  ['zh-CN', languageWords['zh-CN']],
];

/** A language named on its own ("English", "中文"): the person chooses it. */
export function languageChoiceOf(text: string): Language | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[.!?。！？]+$/, '');
  return LANGUAGE_WORDS.find(([, words]) => words.includes(t))?.[0];
}
