import type { AnsweringText } from './knowledge';
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
  private readonly dateFormat: Intl.DateTimeFormat;

  constructor(
    private readonly answering: AnsweringText,
    options: ContextSentenceOptions = { timeZone: 'Asia/Shanghai' },
  ) {
    this.latinTriggers = answering.progressTriggers.en.map(
      (t) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(t.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u'),
    );
    this.hanTriggers = answering.progressTriggers.zh;
    this.dateFormat = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: options.timeZone,
    });
  }

  /** True when the question is about the asker's own progress rather than the process in general. */
  isProgressQuestion(question: string): boolean {
    const q = question.normalize('NFKC').toLowerCase();
    return this.latinTriggers.some((re) => re.test(q)) || this.hanTriggers.some((t) => q.includes(t));
  }

  /** The sentence for this context, or undefined when the question is not about the asker's progress. */
  forQuestion(question: string, context: AskerContext | undefined): string | undefined {
    if (!context || !this.isProgressQuestion(question)) return undefined;
    return this.describe(context);
  }

  describe(context: AskerContext): string {
    const company = context.companyName?.trim() ? ` for ${context.companyName.trim()}` : '';
    const parts = [
      fill(this.answering.statusSentences[context.status], {
        company,
        since: this.formatDate(context.statusSince),
      }),
    ];
    if (context.dueDate)
      parts.push(fill(this.answering.dueSentence, { due: this.formatDate(context.dueDate) }));
    if (context.overdue) parts.push(this.answering.overdueSentence);
    return parts.join(' ');
  }

  private formatDate(value: string | Date): string {
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : this.dateFormat.format(date);
  }
}

/** Replaces {name} placeholders; unknown placeholders are left as written so a typo shows. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
