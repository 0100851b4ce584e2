import { z } from 'zod';
import { groupSchema } from './decisionSheet';
import { ACTIONS, STATUSES, type ActionName } from './machine';

/**
 * zod schemas for every request and response of the workflow API. They validate
 * input, type the service, validate what the WorkflowClient receives, and generate
 * the OpenAPI document, so the four can never disagree.
 */

export const UID_PATTERN = /^\d{16}$/;
export const BUSINESS_TYPES = ['reseller', 'distributor', 'agency'] as const;

const uid = z
  .string()
  .trim()
  .regex(UID_PATTERN, 'must be a 16-digit Alibaba Cloud account UID')
  .meta({ example: '5123456789012345' });

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const applicationFieldShape = {
  companyName: text(200).describe('Legal name of the enterprise, as certified'),
  companyInfoConfirmed: z
    .boolean()
    .describe(
      'The partner saw "Signing Process: Alibaba Cloud Agency Partner" and confirmed (guide 2.2 step 1)',
    ),
  businessType: z.enum(BUSINESS_TYPES).describe('Business type; associated UIDs share it (FAQ Q4)'),
  masterUid: uid.describe('Company Master UID (FAQ Q2, Q3)'),
  mainUid: uid.describe('Main UID'),
  associatedUids: z
    .array(uid)
    .max(50, 'at most 50 associated UIDs')
    .refine((l) => new Set(l).size === l.length, 'must not list the same UID twice')
    .describe('Associated UIDs: same enterprise, same business type and commission as the Main UID'),
  contactName: text(100),
  contactEmail: z.string().trim().max(254).pipe(z.email('must be a valid e-mail address')),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'must be a phone number such as +86 571 1234 5678'),
  country: text(60).describe('Country or region of the enterprise'),
};

export const applicationFields = z.object(applicationFieldShape).strict();
export type ApplicationFields = z.infer<typeof applicationFields>;
export type FieldName = keyof ApplicationFields;

/** Fields that must be present and valid before `submit`. */
export const REQUIRED_FOR_SUBMIT: readonly FieldName[] = [
  'companyName',
  'companyInfoConfirmed',
  'businessType',
  'masterUid',
  'mainUid',
  'contactName',
  'contactEmail',
  'contactPhone',
  'country',
];

const scalar = z.union([z.string().max(2000), z.number(), z.boolean()]);

/** Placeholder words that are not a description of a revision. Data, so it can grow. */
const NON_DESCRIPTIONS = new Set([
  'modify',
  'change',
  'update',
  'fix',
  'error',
  'wrong',
  'test',
  'n/a',
  'na',
  'none',
  '修改',
  '错误',
]);

/** "Describe the revision information in detail" (guide 2.3): refuse empty and token text. */
export function isRealDescription(value: string): boolean {
  const t = value.trim();
  if (NON_DESCRIPTIONS.has(t.toLowerCase())) return false;
  const cjk = (t.match(/[\u3400-\u9fff]/g) ?? []).length;
  const letters = (t.match(/\p{L}/gu) ?? []).length - cjk;
  if (/^(.)\1*$/su.test(t)) return false;
  return cjk >= 4 || (letters >= 8 && t.length >= 10);
}

/** A BD's no: the reason the partner reads, and whether it closes the application for good. */
const rejection = z
  .object({
    reason: z.string().trim().min(3, 'give the partner a reason (at least 3 characters)').max(2000),
    final: z
      .boolean()
      .optional()
      .describe('Close for good: the partner cannot apply again with this application'),
  })
  .strict();

export const payloadSchemas = {
  register: applicationFields
    .partial()
    .required({ companyName: true, mainUid: true, contactEmail: true })
    .strict(),
  'request-qualification-review': z.object({}).strict(),
  invite: z.object({}).strict(),
  'reissue-invitation': z.object({}).strict(),
  'accept-invitation': z
    .object({ invitationCode: z.string().trim().min(1, 'must not be empty').max(100) })
    .strict(),
  'update-application': applicationFields
    .partial()
    .strict()
    .refine((p) => Object.keys(p).length > 0, 'name at least one application field to update'),
  submit: z.object({}).strict(),
  withdraw: z.object({}).strict(),
  approve: z.object({ comment: z.string().trim().max(2000).optional() }).strict(),
  reject: rejection,
  decline: rejection,
  reapply: z.object({}).strict(),
  'fill-decision-sheet': z
    .object({
      basicInfo: groupSchema('basicInfo', 'Basic information, as agreed with the partner'),
      commissionPolicy: groupSchema('commissionPolicy', 'Commission Policy Information'),
    })
    .strict(),
  'confirm-terms': z.object({}).strict(),
  'request-modification': z
    .object({
      description: z
        .string()
        .max(4000)
        .refine(isRealDescription, 'describe the revision in detail (what is wrong and what it should be)'),
    })
    .strict(),
  'record-contract-signed': z.object({ contractId: z.string().trim().min(1).max(200).optional() }).strict(),
  'activate-acpn': z.object({}).strict(),
} satisfies Record<ActionName, z.ZodType>;

export type PayloadOf<A extends ActionName> = z.infer<(typeof payloadSchemas)[A]>;

export const actionRequest = z
  .object({
    expectedVersion: z
      .number()
      .int()
      .min(0)
      .describe('The version the caller last saw; a stale one gets 409'),
    payload: z.record(z.string(), z.unknown()).optional().describe('The action payload (see each action)'),
  })
  .strict();

const iso = z.string().describe('ISO-8601 timestamp (UTC)');

export const applicationView = z
  .object({
    id: z.string(),
    status: z.enum(STATUSES),
    version: z.number().int(),
    partnerUserId: z.string(),
    bdUserId: z.string().nullable(),
    ...Object.fromEntries(Object.entries(applicationFieldShape).map(([k, s]) => [k, s.optional()])),
    decisionSheet: z
      .object({ basicInfo: z.record(z.string(), scalar), commissionPolicy: z.record(z.string(), scalar) })
      .nullable(),
    note: z.string().nullable().describe('The latest rejection reason or modification description'),
    rejectedFrom: z
      .enum(STATUSES)
      .nullable()
      .describe(
        'Where a rejected application was rejected: submitted (reject) or qualification_review (decline)',
      ),
    closed: z.boolean().describe('The BD closed it for good: no reapply, no new review'),
    statusSince: iso,
    dueDate: iso.nullable().describe('When the current step is due (3 working days), if it has a deadline'),
    overdue: z.boolean(),
    warnings: z
      .array(
        z.object({
          field: z.string(),
          code: z.string().optional().describe('Stable id of the finding, e.g. uid_on_another_application'),
          message: z.string(),
        }),
      )
      .describe('Findings for the BD to check; a partner is never told whose another application is'),
    createdAt: iso,
    updatedAt: iso,
    invitationCode: z.string().optional().describe('Only in the answer to invite / reissue-invitation'),
    invitationExpiresAt: iso.nullable().optional(),
  })
  .passthrough();

// The spread above loses the field types; restore them for callers.
export type ApplicationView = z.infer<typeof applicationView> &
  Partial<ApplicationFields> & {
    decisionSheet: {
      basicInfo: Record<string, string | number | boolean>;
      commissionPolicy: Record<string, string | number | boolean>;
    } | null;
  };

export const historyEntry = z.object({
  version: z.number().int(),
  action: z.enum(ACTIONS),
  from: z.enum(STATUSES).nullable(),
  to: z.enum(STATUSES),
  actor: z.string(),
  actorRole: z.string(),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: iso,
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
