import type { RoleLists } from '../roles';

export interface Persona {
  key: 'partner' | 'bd' | 'support';
  label: string;
  userId: string;
}

const DEFAULT_IDS = { partner: 'dev-partner', bd: 'dev-bd', support: 'dev-support' };

/**
 * The people one can be in the local chat page: a partner, the first configured BD and
 * the first support user (or dev-bd / dev-support when none is configured). Each is a
 * stable user id, so two tabs can play both sides of an approval.
 */
export function devPersonas(roles: RoleLists): Persona[] {
  return [
    { key: 'partner', label: 'Partner', userId: DEFAULT_IDS.partner },
    { key: 'bd', label: 'BD', userId: roles.bd[0] ?? DEFAULT_IDS.bd },
    { key: 'support', label: 'Support', userId: roles.support[0] ?? DEFAULT_IDS.support },
  ];
}

/** The roles with the default personas added where the configuration names nobody. */
export function withDevPersonas(roles: RoleLists): RoleLists {
  return {
    bd: roles.bd.length ? roles.bd : [DEFAULT_IDS.bd],
    support: roles.support.length ? roles.support : [DEFAULT_IDS.support],
    admin: roles.admin,
  };
}
