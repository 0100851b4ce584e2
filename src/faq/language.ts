/** The two languages the assistant answers in (DESIGN.md: `zh*` gets Simplified Chinese, anything else English). */
export type Language = 'en' | 'zh';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[\p{Script=Latin}]+/gu;

/**
 * The language a question is written in: Chinese when its Han characters outnumber its Latin
 * words (a Chinese sentence naming "ACPN" or "UID" is still Chinese; an English one quoting
 * 决策单 is still English).
 */
export function detectLanguage(text: string): Language {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  return han >= latin ? 'zh' : 'en';
}
