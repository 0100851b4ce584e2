import type { ChineseChars } from './chineseChars';
import { jiebaSegmenter, type ChineseSegmenter } from './chineseSegmenter';
import { HomophoneMatcher } from './homophones';

/**
 * Turns English and Simplified Chinese text into search terms, the same way for the
 * knowledge base and for questions.
 *
 * English: lower case, split on anything not a letter or digit, stopwords dropped, a light
 * suffix stemmer (plural -s/-ies, -ed, -ing, final -e) so "signed", "signing" and "sign" meet.
 * Chinese has no spaces: a run of Han characters is first matched, longest word first,
 * against the knowledge base's own words (the lexicon's dictionary and every Chinese
 * synonym), so domain terms such as 决策单 stay whole; what lies between them is cut by
 * jieba, a maintained segmenter with a general dictionary. A long domain word also yields
 * the domain words inside it ("确认公司信息" → 公司, 信息, …), so a compound in one text
 * still meets its parts in another. Traditional characters are read as simplified ones, and
 * where no dictionary word starts, a span that sounds like one (a pinyin typo: 认正 for 认证)
 * is read as that word.
 */
export interface TokenizerOptions {
  stopwords: { en: Iterable<string>; zh: Iterable<string> };
  dictionary: Iterable<string>;
  /** Cuts what the dictionary does not know; jieba unless given. */
  segmenter?: ChineseSegmenter;
  /** Simplified forms and readings of characters; without it, no folding and no homophones. */
  chars?: ChineseChars;
  /** A word of general language: never taken for a homophone typo of a dictionary word. */
  isWord?: (word: string) => boolean;
}

export interface Token {
  term: string;
  /** A stopword: kept only for phrase matching, never searched. */
  stop: boolean;
  /** Set on the dictionary words found inside a longer word: the compound they belong to. */
  partOf?: string;
  /** Set when the question had a homophone typo here: the span as typed (决测单 read as 决策单). */
  source?: string;
}

const URL_PATTERN = /\bhttps?:\/\/\S+/giu;
// Han ideographs, or runs of Latin letters and digits; everything else separates tokens.
const RUN_PATTERN = /(\p{Script=Han}+)|([\p{Script=Latin}\p{Nd}]+)/gu;
const HAN = /\p{Script=Han}/u;
/** Homophone typos are looked for in words of up to this many characters. */
const HOMOPHONE_MAX_LENGTH = 4;

export class Tokenizer {
  private readonly stopEn: Set<string>;
  private readonly stopZh: Set<string>;
  private readonly dictionary: Set<string>;
  private readonly maxWordLength: number;
  private readonly segmenter: ChineseSegmenter;
  private readonly chars?: ChineseChars;
  private readonly homophones?: HomophoneMatcher;

  constructor(options: TokenizerOptions) {
    this.segmenter = options.segmenter ?? jiebaSegmenter();
    this.stopEn = new Set([...options.stopwords.en].map((w) => w.toLowerCase()));
    this.stopZh = new Set(options.stopwords.zh);
    // Multi-character stopwords belong in the dictionary too, so they are cut out whole;
    // single characters are left to jieba, which knows when 的 or 对 is part of a word.
    this.dictionary = new Set(
      [...options.dictionary, ...this.stopZh].filter((w) => HAN.test(w) && [...w].length > 1),
    );
    this.maxWordLength = Math.max(1, ...[...this.dictionary].map((w) => [...w].length));
    this.chars = options.chars;
    if (options.chars)
      // Domain words only: a stopword read into a typo gains nothing and risks much (南里 → 哪里).
      this.homophones = new HomophoneMatcher(
        [...this.dictionary].filter((w) => !this.stopZh.has(w)),
        options.chars,
        {
          maxLength: HOMOPHONE_MAX_LENGTH,
          isWord: options.isWord,
        },
      );
  }

  /** The form every text is read in: NFKC, lower case, simplified characters. */
  normalize(text: string): string {
    const clean = text.normalize('NFKC').toLowerCase();
    return this.chars ? this.chars.simplify(clean) : clean;
  }

  /** English stopwords, lower case: a typo of one ("waht") is read as the stopword. */
  get englishStopwords(): ReadonlySet<string> {
    return this.stopEn;
  }

  /** Search terms of `text`, in order, repeats kept (term frequency matters to BM25). */
  tokenize(text: string): string[] {
    return this.tokens(text)
      .filter((t) => !t.stop)
      .map((t) => t.term);
  }

  /**
   * Every token including stopwords, each flagged: synonym phrases are matched on this full
   * sequence, so "sign up" does not fire on any question that merely contains "sign".
   */
  tokens(text: string): Token[] {
    const out: Token[] = [];
    const clean = this.normalize(text).replace(URL_PATTERN, ' ');
    for (const match of clean.matchAll(RUN_PATTERN)) {
      if (match[1]) this.segmentHan(match[1], out);
      else if (match[2]) this.addLatin(match[2], out);
    }
    return out;
  }

  private addLatin(word: string, out: Token[]): void {
    if (this.stopEn.has(word)) return void out.push({ term: word, stop: true });
    const stem = stemEnglish(word);
    // Single letters are noise; single digits ("step 3") are kept.
    const stop = this.stopEn.has(stem) || (stem.length < 2 && !/\d/.test(stem));
    out.push({ term: stem, stop });
  }

  private segmentHan(run: string, out: Token[]): void {
    const chars = [...run];
    let unknown = '';
    const flush = () => {
      if (!unknown) return;
      for (const word of this.segmenter.cut(unknown)) out.push({ term: word, stop: this.stopZh.has(word) });
      unknown = '';
    };
    let i = 0;
    while (i < chars.length) {
      let word: string | undefined;
      let source: string | undefined;
      for (let len = Math.min(this.maxWordLength, chars.length - i); len >= 2; len--) {
        const candidate = chars.slice(i, i + len).join('');
        if (this.dictionary.has(candidate)) {
          word = candidate;
          break;
        }
      }
      if (!word && this.homophones) {
        const found = this.homophones.at(chars, i);
        if (found) ({ word, span: source } = found);
      }
      if (word) {
        flush();
        const stop = this.stopZh.has(word);
        out.push(source ? { term: word, stop, source } : { term: word, stop });
        if (!stop) for (const part of this.partsOf(word)) out.push({ term: part, stop: false, partOf: word });
        i += [...word].length;
      } else {
        unknown += chars[i];
        i += 1;
      }
    }
    flush();
  }

  /** Dictionary words strictly inside `word` (not stopwords), each once. */
  private partsOf(word: string): string[] {
    const chars = [...word];
    if (chars.length < 3) return [];
    const parts = new Set<string>();
    for (let start = 0; start < chars.length; start++) {
      for (let len = 2; len < chars.length && start + len <= chars.length; len++) {
        const candidate = chars.slice(start, start + len).join('');
        if (this.dictionary.has(candidate) && !this.stopZh.has(candidate)) parts.add(candidate);
      }
    }
    return [...parts];
  }
}

/** A deliberately light English stemmer: enough for plurals and verb forms, predictable for authors. */
export function stemEnglish(word: string): string {
  let w = word;
  if (/\d/.test(w) || w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length >= 6) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length >= 5) w = undouble(w.slice(0, -2));

  // Drop a final -e so "approve" and "approved" both become "approv".
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([^aeiouylsz])\1$/.test(w) ? w.slice(0, -1) : w;
}
