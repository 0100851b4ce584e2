import { z } from 'zod';
import fields from './decisionSheetFields.json';

/** The decision sheet's two groups (guide 2.3): Basic information and Commission Policy Information. */
export const DECISION_SHEET_GROUPS = ['basicInfo', 'commissionPolicy'] as const;
export type DecisionSheetGroup = (typeof DECISION_SHEET_GROUPS)[number];
export type EntryKind = 'text' | 'date' | 'percent' | 'currency';

export interface EntrySpec {
  id: string;
  kind: EntryKind;
  optional?: boolean;
  default?: string;
}

export const CURRENCIES: readonly string[] = fields.currencies;

/** The entries the BD's form asks for, per group, in order. */
export function entriesOf(group: DecisionSheetGroup): EntrySpec[] {
  return fields[group] as EntrySpec[];
}

export function entrySpec(group: DecisionSheetGroup, id: string): EntrySpec | undefined {
  return entriesOf(group).find((e) => e.id === id);
}

/** A calendar date that exists (2026-02-30 does not), written YYYY-MM-DD. */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const PERCENT = /^\s*(\d{1,3}(?:\.\d{1,2})?)\s*%?\s*$/;

/**
 * How each kind of entry is checked, by the workflow API and by the BD's form alike. The
 * messages are the API's (English, naming the rule); the bot says them from the catalogue.
 */
export const ENTRY_SHAPES: Record<EntryKind, z.ZodType> = {
  text: z.union([z.string().trim().min(1, 'must not be empty').max(2000), z.number(), z.boolean()]),
  date: z
    .string()
    .trim()
    .refine(isRealDate, 'must be a real date written YYYY-MM-DD, such as 2026-12-01')
    .meta({ format: 'date', example: '2026-12-01' }),
  percent: z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : Number(PERCENT.exec(v)?.[1] ?? NaN);
      if (!Number.isFinite(n) || n < 0 || n > 100) {
        ctx.addIssue({ code: 'custom', message: 'must be a percentage from 0 to 100, such as 12 or 12.5' });
        return z.NEVER;
      }
      return Math.round(n * 100) / 100;
    })
    .meta({ example: 12 }),
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(CURRENCIES as [string, ...string[]], 'must be a currency code such as USD or CNY')),
};

const scalar = z.union([z.string().max(2000), z.number(), z.boolean()]);

/**
 * One group of the decision sheet: the entries the form knows are checked by their kind;
 * others (sent through the API) are kept as given, as scalars. At least one entry, at most 50.
 */
export function groupSchema(group: DecisionSheetGroup, description: string) {
  const known = Object.fromEntries(entriesOf(group).map((e) => [e.id, ENTRY_SHAPES[e.kind].optional()]));
  return z
    .object(known)
    .catchall(scalar)
    .refine((o) => Object.keys(o).length > 0, `${group} must not be empty`)
    .refine((o) => Object.keys(o).length <= 50, `${group} has more than 50 entries`)
    .describe(description);
}
