import type { z } from 'zod';
import type { Wording, WordKey } from '../../src/i18n/catalogue';
import type { EntryKind } from '../../src/workflow/decisionSheet';
import type { FieldName } from '../../src/workflow/schemas';

const UID_FIELDS = new Set<string>(['masterUid', 'mainUid', 'associatedUids']);

/**
 * What is wrong with one typed field, in the person's language: the same rule the workflow
 * API applies (applicationFieldShape), said from the catalogue rather than zod's English.
 */
export function fieldProblem(field: FieldName, issue: z.core.$ZodIssue, w: Wording): string {
  const { code } = issue;
  if (code === 'too_big') {
    if (field === 'associatedUids' && issue.origin === 'array') return w.plain('validation.tooManyUids');
    return w.plain('validation.tooLong', { max: Number(issue.maximum) });
  }
  if (code === 'too_small') return w.plain('validation.empty');
  if (field === 'associatedUids' && code === 'custom') return w.plain('validation.uidTwice');
  if (UID_FIELDS.has(field)) return w.plain('validation.uid');
  if (field === 'contactEmail') return w.plain('validation.email');
  if (field === 'contactPhone') return w.plain('validation.phone');
  if (field === 'businessType') return w.plain('validation.businessType');
  return w.plain('validation.invalid');
}

/**
 * A submit the API refused as incomplete (400 incomplete_application): each missing field,
 * said in the person's language (a problem it has no words for is "not valid", never the API's English).
 */
export function submitProblem(field: string, code: string, w: Wording): string {
  if (field === 'companyInfoConfirmed') return w.plain('validation.confirmCompanyFirst');
  if (code === 'incomplete_application') return w.plain('validation.required');
  return w.plain('validation.invalid');
}

/** Rules the workflow names in a 400 (details.fields[].rule), as the bot words them. */
const RULE_WORDS: Record<string, WordKey> = {
  main_uid_listed_twice: 'validation.mainUidTwice',
};

/**
 * A 400 from the workflow API in people's words: each field by its label with what is wrong,
 * never a path such as "payload.associatedUids". A problem the bot has no words for is "not valid".
 */
export function apiProblems(
  error: { message: string; details?: unknown },
  w: Wording,
  action?: string,
): string {
  const fields = (error.details as { fields?: { field: string; message: string; rule?: string }[] })?.fields;
  if (!fields?.length) return w.t('validation.checkInput');
  return w.list(
    fields.map((p) => {
      const path = p.field.replace(/^payload\./, '');
      const [group, id] = path.split('.');
      const candidates = [
        id ? `decisionSheetFields.${group}.${id}.label` : '',
        `fields.${path}.label`,
        action ? `actions.${action}.inputs.${path}.label` : '',
      ];
      const key = candidates.find((k) => k && w.has(k));
      const label = key ? w.plain(key as WordKey) : w.plain('validation.thisField');
      const rule = p.rule ? RULE_WORDS[p.rule] : undefined;
      const problem = rule ? w.plain(rule) : w.plain('validation.invalid');
      return w.t('application.fieldProblem', { field: label, problem });
    }),
    true,
  );
}

/** What is wrong with a decision-sheet entry of this kind, in the person's language. */
export function entryProblem(kind: EntryKind, w: Wording): string {
  switch (kind) {
    case 'date':
      return w.plain('validation.date');
    case 'percent':
      return w.plain('validation.percent');
    case 'currency':
      return w.plain('validation.currency');
    default:
      return w.plain('validation.invalid');
  }
}
