import type { z } from 'zod';
import { ApiError } from '../http/apiError';
import { applicationFields, REQUIRED_FOR_SUBMIT, type ApplicationFields } from './schemas';
import type { UidConflict } from './applicationRepository';
import type { Role } from '../roles';
import warningTexts from './warningTexts.json';

export interface FieldProblem {
  field: string;
  message: string;
  /** Which rule, for callers that word it themselves (the bot, in the person's language). */
  rule?: string;
}

/** A zod failure as a 400 whose message names the field(s), e.g. "payload.mainUid: must be a 16-digit …". */
export function invalidInput(error: z.ZodError, prefix = ''): ApiError {
  const problems: FieldProblem[] = error.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)';
    const message = i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message;
    return { field, message };
  });
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return ApiError.badRequest(message, { fields: problems });
}

function failWith(problems: FieldProblem[], code = 'invalid_input'): never {
  throw ApiError.badRequest(
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    { fields: problems },
    code,
  );
}

/**
 * Rules within one application (FAQ Q2): the Main UID cannot also be one of its own
 * associated UIDs. The Company Master UID may appear as Main or Associated (Q3).
 */
export function checkConsistency(fields: Partial<ApplicationFields>): void {
  const problems: FieldProblem[] = [];
  if (fields.mainUid && fields.associatedUids?.includes(fields.mainUid)) {
    problems.push({
      field: 'payload.associatedUids',
      message: `${fields.mainUid} is already the Main UID; list each UID once (FAQ Q2)`,
      rule: 'main_uid_listed_twice',
    });
  }
  if (problems.length) failWith(problems);
}

/** Built once: zod compiles a schema on first use, so a schema made per call is compiled per call. */
const PARTIAL_FIELDS = applicationFields.partial();

/** Before `submit`: every required field present and valid, company information confirmed. */
export function checkComplete(fields: Partial<ApplicationFields>): void {
  const missing = REQUIRED_FOR_SUBMIT.filter((f) => fields[f] === undefined || fields[f] === '');
  if (missing.length) {
    failWith(
      missing.map((f) => ({ field: f, message: 'required before submitting' })),
      'incomplete_application',
    );
  }
  if (fields.companyInfoConfirmed !== true) {
    failWith(
      [
        {
          field: 'companyInfoConfirmed',
          message: 'confirm the company information ("Signing Process: Alibaba Cloud Agency Partner") first',
        },
      ],
      'incomplete_application',
    );
  }
  const parsed = PARTIAL_FIELDS.safeParse(fields);
  if (!parsed.success) throw invalidInput(parsed.error);
  checkConsistency(fields);
}

/** Who is reading an application: the words of its warnings depend on it. */
export interface Viewer {
  actor: string;
  role: Role;
}

export type WarningCode = keyof typeof warningTexts;

export interface Warning extends FieldProblem {
  code: WarningCode;
}

/**
 * Findings the BD must look at but the product cannot decide, since it cannot see
 * Alibaba Cloud's real-name records: a UID claimed by another enterprise (Q2), the
 * same UID under another business type (Q4), a Master UID left out of distribution (Q3).
 *
 * Staff get the details. A partner gets one warning per shared UID that names nobody,
 * whether or not staff see a finding for it: otherwise the warning's wording, or its
 * absence once the right company name is typed, would tell a partner whose UID it is.
 * A UID on the partner's own other application is theirs to see in full.
 */
export function warningsFor(
  fields: Partial<ApplicationFields>,
  companyName: string,
  conflicts: UidConflict[],
  viewer: Viewer,
): Warning[] {
  const warnings: Warning[] = [];
  const listed = new Set([fields.mainUid, ...(fields.associatedUids ?? [])].filter(Boolean));
  if (fields.masterUid && !listed.has(fields.masterUid)) {
    warnings.push(warning('masterUid', 'master_uid_not_listed', {}));
  }
  const neutral = new Set<string>();
  for (const c of conflicts) {
    if (viewer.role === 'partner' && c.otherPartnerUserId !== viewer.actor) {
      if (!neutral.has(c.uid)) warnings.push(warning('uids', 'uid_on_another_application', { uid: c.uid }));
      neutral.add(c.uid);
      continue;
    }
    const other = JSON.parse(c.otherFields) as Partial<ApplicationFields>;
    if (normalizeCompany(c.otherCompanyName) !== normalizeCompany(companyName)) {
      warnings.push(warning('uids', 'uid_on_other_enterprise', { uid: c.uid, company: c.otherCompanyName }));
    } else if (other.businessType && fields.businessType && other.businessType !== fields.businessType) {
      warnings.push(
        warning('businessType', 'uid_business_type_differs', {
          uid: c.uid,
          businessType: other.businessType,
        }),
      );
    }
  }
  return warnings;
}

function warning(field: string, code: WarningCode, values: Record<string, string>): Warning {
  const message = warningTexts[code].replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  return { field, code, message };
}

export function uidsOf(fields: Partial<ApplicationFields>): { uid: string; kind: string }[] {
  const out: { uid: string; kind: string }[] = [];
  if (fields.masterUid) out.push({ uid: fields.masterUid, kind: 'master' });
  if (fields.mainUid) out.push({ uid: fields.mainUid, kind: 'main' });
  for (const u of fields.associatedUids ?? []) out.push({ uid: u, kind: 'associated' });
  return out;
}

function normalizeCompany(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\s.,()（）]+/g, ' ')
    .replace(/\b(co|ltd|limited|inc|llc|corp|corporation|company|pte|gmbh)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
