import type { Wording } from '../i18n/catalogue';
import { DECISION_SHEET_GROUPS, entrySpec, type DecisionSheetGroup } from '../workflow/decisionSheet';
import type { ApplicationView } from '../workflow/schemas';

export type DecisionSheet = NonNullable<ApplicationView['decisionSheet']>;
type Scalar = string | number | boolean;

/** A decision-sheet entry as people read it: a date in their language, a rate with its per-cent sign. */
export function termValue(group: DecisionSheetGroup, id: string, value: Scalar, w: Wording): string {
  const kind = entrySpec(group, id)?.kind;
  if (kind === 'date' && typeof value === 'string') return w.day(value) || value;
  // The per-cent sign is written the same in both languages.
  if (kind === 'percent' && value !== '') return `${value}%`;
  return String(value);
}

/** What changed between two decision sheets: per entry "group.id", the value before (absent if new). */
export function changedTerms(
  before: DecisionSheet | null | undefined,
  now: DecisionSheet,
): Map<string, Scalar | undefined> {
  const changed = new Map<string, Scalar | undefined>();
  if (!before) return changed;
  for (const group of DECISION_SHEET_GROUPS) {
    const ids = new Set([...Object.keys(before[group] ?? {}), ...Object.keys(now[group] ?? {})]);
    for (const id of ids) {
      const was = before[group]?.[id];
      if (String(was ?? '') !== String(now[group]?.[id] ?? '')) changed.set(`${group}.${id}`, was);
    }
  }
  return changed;
}
