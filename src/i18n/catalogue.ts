import i18next, { type i18n } from 'i18next';
import type { DateFormatter } from '../dates';
import { escapeFor, type TextTarget } from '../escape';
import en from './en.json';
import zhCN from './zh-CN.json';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './language';

/** Every sentence a person reads, by id, in each language (en.json is the reference). */
export const RESOURCES: Record<Language, unknown> = { en, 'zh-CN': zhCN };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** The id of one piece of wording, checked against en.json at compile time. */
export type WordKey = Leaves<typeof en>;

/** Markup we built ourselves (a step title, a list of names already escaped): placed as it is. */
export class Trusted {
  constructor(readonly markup: string) {}
}
export function trusted(markup: string): Trusted {
  return new Trusted(markup);
}

/** Typed text that keeps its line breaks where it is placed (a reason, a description, an answer). */
export class Lines {
  constructor(readonly value: unknown) {}
}
export function lines(value: unknown): Lines {
  return new Lines(value);
}

/**
 * A value for a placeholder. Strings and numbers are what someone typed or what the data
 * holds: escaped for the text's target (src/escape.ts) where they are placed.
 */
export type Param = string | number | Trusted | Lines | null | undefined;
export type Params = Record<string, Param>;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** The catalogue in one language, for one kind of text (chat Markdown by default). */
export class Wording {
  constructor(
    readonly language: Language,
    private readonly i18n: i18n,
    private readonly dates: DateFormatter,
    private readonly target: TextTarget,
  ) {}

  /** The wording with each value escaped for this text's target; a Trusted value is placed as it is. */
  t(key: WordKey, params: Params = {}): string {
    const values: Record<string, string> = {};
    for (const [name, v] of Object.entries(params)) {
      values[name] =
        v instanceof Trusted
          ? v.markup
          : v instanceof Lines
            ? escapeFor(this.target, v.value, { multiline: true })
            : escapeFor(this.target, v);
    }
    return this.lookup(key, values);
  }

  /**
   * The wording with values as given, for text escaped as a whole where it is placed (card
   * headings, facts and hints: the card binder escapes every value). Never a chat message.
   */
  plain(key: WordKey, params: Params = {}): string {
    const values: Record<string, string> = {};
    for (const [name, v] of Object.entries(params)) {
      values[name] =
        v instanceof Trusted ? v.markup : v instanceof Lines ? String(v.value ?? '') : String(v ?? '');
    }
    return this.lookup(key, values);
  }

  /** A card template's text: the wording with its {{placeholders}} as the card binder's ${paths}. */
  template(key: WordKey): string {
    const raw =
      this.i18n.getResource(this.language, 'translation', key) ??
      this.i18n.getResource(DEFAULT_LANGUAGE, 'translation', key);
    if (typeof raw !== 'string') throw new Error(`no wording ${key}`);
    return raw.replace(PLACEHOLDER, (_m, name: string) => `\${${name}}`);
  }

  /** Whether the catalogue has this id (for ids built from data, such as a decision-sheet field). */
  has(key: string): key is WordKey {
    return this.i18n.exists(key, { lng: DEFAULT_LANGUAGE });
  }

  /** A date as this language writes it, in the business time zone. */
  date(iso: string | Date | null | undefined): string {
    return this.dates.date(iso, this.language);
  }

  /** A calendar day (YYYY-MM-DD, an effective date) as this language writes it. */
  day(ymd: string): string {
    return this.dates.day(ymd, this.language);
  }

  /** Sentences (or sentence parts) joined as this language joins them: a space in English, nothing in Chinese. */
  sentences(...parts: (string | false | null | undefined)[]): string {
    return parts.filter(Boolean).join(this.lookup('common.sentenceGap', {}));
  }

  /** Items of a list, joined as this language joins them ("a, b" / "a、b"; strong: "a; b" / "a；b"). */
  list(items: string[], strong = false): string {
    return items.join(this.lookup(strong ? 'common.listSeparatorStrong' : 'common.listSeparator', {}));
  }

  /** Raw wording by id in this language (the default language's where this one has none). */
  private readonly raw = new Map<string, string>();

  private lookup(key: string, values: Record<string, string>): string {
    // The catalogue has no plurals or $t() nesting, so a sentence is its raw wording with the
    // (already escaped) values placed: looked up once per id, not through i18next's t() each
    // time (a tenth of a card press, profiled).
    let raw = this.raw.get(key);
    if (raw === undefined) {
      const found =
        this.i18n.getResource(this.language, 'translation', key) ??
        this.i18n.getResource(DEFAULT_LANGUAGE, 'translation', key);
      raw = typeof found === 'string' ? found : key;
      this.raw.set(key, raw);
    }
    return raw.includes('{{')
      ? raw.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole)
      : raw;
  }
}

/** Wording in each language; one i18next instance, no network, no files read at run time. */
export class Catalogue {
  private readonly i18n: i18n;
  private readonly cache = new Map<string, Wording>();

  constructor(private readonly dates: DateFormatter) {
    this.i18n = i18next.createInstance();
    void this.i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: RESOURCES[l] as object }])),
      lng: DEFAULT_LANGUAGE,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      // Ids never contain ':' (the namespace separator) and nothing loads asynchronously.
      nsSeparator: false,
      initAsync: false,
      showSupportNotice: false,
      interpolation: { escapeValue: false },
    });
  }

  in(language: Language, target: TextTarget = 'markdown'): Wording {
    const id = `${language}\u0000${target}`;
    let w = this.cache.get(id);
    if (!w) {
      w = new Wording(language, this.i18n, this.dates, target);
      this.cache.set(id, w);
    }
    return w;
  }
}
