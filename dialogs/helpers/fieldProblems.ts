import type { z } from 'zod';
import type { Wording } from '../../src/i18n/catalogue';
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
 * said in the person's language. Problems it does not know keep the API's own words.
 */
export function submitProblem(field: string, apiMessage: string, code: string, w: Wording): string {
  if (field === 'companyInfoConfirmed') return w.plain('validation.confirmCompanyFirst');
  if (code === 'incomplete_application') return w.plain('validation.required');
  return apiMessage;
}
