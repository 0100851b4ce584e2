/** The languages the product speaks (DESIGN.md: every prompt, card, notification and e-mail in both). */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** A channel locale ("zh-CN", "zh-tw", "en-US", none) as the language we answer in: zh* is Simplified Chinese. */
export function languageOf(locale: string | null | undefined): Language {
  return /^zh(?:[-_]|$)/i.test((locale ?? '').trim()) ? 'zh-CN' : 'en';
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
