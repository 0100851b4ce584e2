import type { ChineseChars } from './chineseChars';

export interface HomophoneOptions {
  /** Longest word (in characters) a homophone may stand for; typos in longer words are rare. */
  maxLength: number;
  /** A span that is itself a word of general language is what the asker meant, not a typo. */
  isWord?: (span: string) => boolean;
}

/**
 * Finds the knowledge base's word that a span of a question sounds like. Chinese is typed by
 * pinyin, so a typo is usually the right sound with the wrong character: 注侧 for 注册, 审合
 * for 审核, 决测单 for 决策单, 发漂 for 发票. A span matches a word of the same length that
 * differs in exactly one character, read the same (tones aside); the other characters must be
 * the word's own, so an everyday phrase is not taken for a domain term. A span whose first or
 * last character makes a word with its neighbour is left alone: in 直接点确认, 接点 is not 节点.
 */
export class HomophoneMatcher {
  /** `length:word with one character masked` → the words and the masked character. */
  private readonly index = new Map<string, { word: string; ch: string }[]>();
  private readonly maxLength: number;

  constructor(
    words: Iterable<string>,
    private readonly chars: ChineseChars,
    private readonly options: HomophoneOptions,
  ) {
    let longest = 0;
    for (const word of new Set(words)) {
      const cs = [...word];
      if (cs.length < 2 || cs.length > options.maxLength) continue;
      longest = Math.max(longest, cs.length);
      cs.forEach((ch, pos) => {
        const key = maskedKey(cs, pos);
        const list = this.index.get(key);
        if (list) list.push({ word, ch });
        else this.index.set(key, [{ word, ch }]);
      });
    }
    this.maxLength = longest;
  }

  /** The word that `chars[start…]` sounds like, longest first, or undefined. */
  at(chars: readonly string[], start: number): { word: string; span: string } | undefined {
    if (this.index.size === 0) return undefined;
    for (let len = Math.min(this.maxLength, chars.length - start); len >= 2; len--) {
      const cs = chars.slice(start, start + len);
      const span = cs.join('');
      const isWord = this.options.isWord;
      if (isWord) {
        if (isWord(span)) continue;
        if (start > 0 && isWord(chars[start - 1] + cs[0])) continue;
        if (start + len < chars.length && isWord(cs[len - 1] + chars[start + len])) continue;
      }
      for (let pos = 0; pos < len; pos++) {
        const candidates = this.index.get(maskedKey(cs, pos));
        if (!candidates) continue;
        const found = candidates.find((c) => c.ch !== cs[pos] && this.chars.soundAlike(c.ch, cs[pos]));
        if (found) return { word: found.word, span };
      }
    }
    return undefined;
  }
}

function maskedKey(chars: readonly string[], pos: number): string {
  return `${chars.length}:${chars.slice(0, pos).join('')}\u0000${chars.slice(pos + 1).join('')}`;
}
