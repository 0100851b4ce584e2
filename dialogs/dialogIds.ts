/** Dialog ids, one per onboarding step plus the BD and support dialogs. */
export const DIALOG = {
  main: 'main',
  registration: 'registration',
  qualification: 'qualification',
  application: 'application',
  decisionSheet: 'decisionSheet',
  contract: 'contract',
  acpn: 'acpn',
  bd: 'bd',
  support: 'support',
  faq: 'faq',
  confirmAction: 'confirmAction',
} as const;

export type DialogId = (typeof DIALOG)[keyof typeof DIALOG];
