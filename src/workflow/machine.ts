/**
 * The onboarding state machine as data (DESIGN.md). The API, the role checks, the
 * payload validation, the notifications and the README's diagram are all derived
 * from these two tables; nothing else decides what may happen to an application.
 */

export const STATUSES = [
  'prospect',
  'qualification_review',
  'invited',
  'draft',
  'submitted',
  'rejected',
  'qualified',
  'terms_pending',
  'terms_correction',
  'awaiting_contract',
  'contract_signed',
  'acpn_active',
] as const;
export type Status = (typeof STATUSES)[number];

/** Which side of the process acts: partners on their own application, BDs on any. */
export type Actor = 'partner' | 'bd';

export const ACTIONS = [
  'register',
  'request-qualification-review',
  'invite',
  'decline',
  'reissue-invitation',
  'accept-invitation',
  'update-application',
  'submit',
  'withdraw',
  'approve',
  'reject',
  'reapply',
  'fill-decision-sheet',
  'confirm-terms',
  'request-modification',
  'record-contract-signed',
  'activate-acpn',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface Transition {
  action: ActionName;
  who: Actor;
  /** `null` means the action creates the application. */
  from: readonly (Status | null)[];
  to: Status;
  /** A deadline the new status starts, in working days (the "3 working days" of the guide). */
  dueInWorkingDays?: number;
  /** The guide section this step belongs to, for people reading history and diagrams. */
  guide: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'register', who: 'partner', from: [null], to: 'prospect', guide: '2.1 steps 1-2' },
  // From rejected too: a partner the BD declined (not for good) asks again once they have what was missing.
  {
    action: 'request-qualification-review',
    who: 'partner',
    from: ['prospect', 'rejected'],
    to: 'qualification_review',
    guide: '2.1 step 3',
  },
  { action: 'invite', who: 'bd', from: ['qualification_review'], to: 'invited', guide: '2.1 step 4' },
  // Not in DESIGN.md's table: the interview can also go badly; the BD says why (and may close it for good).
  { action: 'decline', who: 'bd', from: ['qualification_review'], to: 'rejected', guide: '2.1 step 3' },
  // Not in DESIGN.md's table: an expired or lost invitation code needs a way out other than starting over.
  { action: 'reissue-invitation', who: 'bd', from: ['invited'], to: 'invited', guide: '2.1 step 4' },
  { action: 'accept-invitation', who: 'partner', from: ['invited'], to: 'draft', guide: '2.2 step 1' },
  { action: 'update-application', who: 'partner', from: ['draft'], to: 'draft', guide: '2.2 step 2' },
  { action: 'submit', who: 'partner', from: ['draft'], to: 'submitted', dueInWorkingDays: 3, guide: '2.2' },
  { action: 'withdraw', who: 'partner', from: ['submitted'], to: 'draft', guide: '2.2' },
  { action: 'approve', who: 'bd', from: ['submitted'], to: 'qualified', guide: '2.3' },
  { action: 'reject', who: 'bd', from: ['submitted'], to: 'rejected', guide: '2.2' },
  // Not in DESIGN.md's table: a rejected application (not closed for good) goes back to the form, all kept.
  { action: 'reapply', who: 'partner', from: ['rejected'], to: 'draft', guide: '2.2' },
  {
    action: 'fill-decision-sheet',
    who: 'bd',
    from: ['qualified', 'terms_correction'],
    to: 'terms_pending',
    guide: '2.3',
  },
  {
    action: 'confirm-terms',
    who: 'partner',
    from: ['terms_pending'],
    to: 'awaiting_contract',
    dueInWorkingDays: 3,
    guide: '2.3',
  },
  {
    action: 'request-modification',
    who: 'partner',
    from: ['terms_pending'],
    to: 'terms_correction',
    guide: '2.3',
  },
  {
    action: 'record-contract-signed',
    who: 'bd',
    from: ['awaiting_contract'],
    to: 'contract_signed',
    guide: '2.4',
  },
  { action: 'activate-acpn', who: 'bd', from: ['contract_signed'], to: 'acpn_active', guide: '2.5' },
];

export interface StatusInfo {
  /** Whose move it is next. */
  waitingOn: Actor | null;
  /** The guide section; what people read as the step's name is wording (src/i18n, status.<status>.title). */
  guide: string;
}

export const STATUS_INFO: Record<Status, StatusInfo> = {
  prospect: { waitingOn: 'partner', guide: '2.1 steps 1-2' },
  qualification_review: { waitingOn: 'bd', guide: '2.1 step 3' },
  invited: { waitingOn: 'partner', guide: '2.1 step 4' },
  draft: { waitingOn: 'partner', guide: '2.2' },
  submitted: { waitingOn: 'bd', guide: '2.2' },
  rejected: { waitingOn: null, guide: '2.2' },
  qualified: { waitingOn: 'bd', guide: '2.3' },
  terms_pending: { waitingOn: 'partner', guide: '2.3' },
  terms_correction: { waitingOn: 'bd', guide: '2.3' },
  awaiting_contract: { waitingOn: 'bd', guide: '2.3' },
  contract_signed: { waitingOn: 'bd', guide: '2.4' },
  acpn_active: { waitingOn: null, guide: '2.5' },
};

/** The statuses where the next move is a BD's: the BD queue and the deadline reminders. */
export const WAITING_ON_BD: readonly Status[] = STATUSES.filter((s) => STATUS_INFO[s].waitingOn === 'bd');

const byAction = new Map<ActionName, Transition>(TRANSITIONS.map((t) => [t.action, t]));

export function isAction(name: string): name is ActionName {
  return byAction.has(name as ActionName);
}

export function transitionFor(action: ActionName): Transition {
  return byAction.get(action)!;
}

export function canApply(action: ActionName, from: Status | null): boolean {
  return transitionFor(action).from.includes(from);
}

/** The actions that may be taken from a status: what menus and cards offer. */
export function actionsFrom(status: Status): Transition[] {
  return TRANSITIONS.filter((t) => t.from.includes(status));
}
