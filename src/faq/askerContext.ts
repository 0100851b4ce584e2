import { chromeFor, type AnsweringText } from './knowledge';
import type { Language } from './language';
import type { AskerContext } from './types';

export interface ContextSentenceOptions {
  /** Dates are shown in the business time zone, where the BD's deadlines are counted. */
  timeZone: string;
}

/**
 * Speaks to the asker's own application: "Your application has been under review since
 * 3 Nov 2025. The BD's deadline is 6 Nov 2025." The wording and the phrases that mark a
 * progress question ("my application", "进度", …) are data in knowledge/answering.json.
 */
export class ContextSentences {
  private readonly latinTriggers: RegExp[];
  private readonly hanTriggers: string[];
  private readonly dateFormat: Record<Language, Intl.DateTimeFormat>;

  constructor(
    private readonly answering: AnsweringText,
    options: ContextSentenceOptions = { timeZone: 'Asia/Shanghai' },
  ) {
    this.latinTriggers = answering.progressTriggers.en.map(
      (t) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(t.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u'),
    );
    this.hanTriggers = answering.progressTriggers.zh;
    const format = { day: 'numeric', month: 'short', year: 'numeric', timeZone: options.timeZone } as const;
    this.dateFormat = {
      en: new Intl.DateTimeFormat('en-GB', format),
      zh: new Intl.DateTimeFormat('zh-CN', { ...format, month: 'long' }),
    };
  }

  /** True when the question is about the asker's own progress rather than the process in general. */
  isProgressQuestion(question: string): boolean {
    const q = question.normalize('NFKC').toLowerCase();
    return this.latinTriggers.some((re) => re.test(q)) || this.hanTriggers.some((t) => q.includes(t));
  }

  /** The sentence for this context, or undefined when the question is not about the asker's progress. */
  forQuestion(
    question: string,
    context: AskerContext | undefined,
    language: Language = 'en',
  ): string | undefined {
    if (!context || !this.isProgressQuestion(question)) return undefined;
    return this.describe(context, language);
  }

  describe(context: AskerContext, language: Language = 'en'): string {
    const text = chromeFor(this.answering, language);
    const name = context.companyName?.trim();
    const company = name ? fill(text.company, { name }) : '';
    const date = (value: string | Date) => this.formatDate(value, language);
    const parts = [fill(text.statusSentences[context.status], { company, since: date(context.statusSince) })];
    if (context.dueDate) parts.push(fill(text.dueSentence, { due: date(context.dueDate) }));
    if (context.overdue) parts.push(text.overdueSentence);
    return parts.join(language === 'zh' ? '' : ' ');
  }

  private formatDate(value: string | Date, language: Language): string {
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : this.dateFormat[language].format(date);
  }
}

/** Replaces {name} placeholders; unknown placeholders are left as written so a typo shows. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
