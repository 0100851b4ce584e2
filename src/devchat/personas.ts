import type { RoleLists } from '../roles';

/** A persona's name on the page is wording (devchat.personas.<key>). */
export interface Persona {
  key: 'partner' | 'bd' | 'support';
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
    { key: 'partner', userId: DEFAULT_IDS.partner },
    { key: 'bd', userId: roles.bd[0] ?? DEFAULT_IDS.bd },
    { key: 'support', userId: roles.support[0] ?? DEFAULT_IDS.support },
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
