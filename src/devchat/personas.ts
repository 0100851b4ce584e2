import type { RoleLists } from '../roles';

/**
 * A persona's role on the page is wording (devchat.personas.<key>); `name` is the display name
 * the page gives Web Chat (the activities' from.name), which is what the bot calls the person,
 * as it calls people in Teams by their display names.
 */
export interface Persona {
  key: 'partner' | 'bd' | 'bd2' | 'support';
  userId: string;
  name: string;
}

const DEFAULT_IDS = { partner: 'dev-partner', bd: 'dev-bd', bd2: 'dev-bd2', support: 'dev-support' };
const NAMES = { partner: 'Wang Fang', bd: 'Alice Chen', bd2: 'Bob Li', support: 'Sam Lee' };

/**
 * The people one can be in the local chat page: a partner, the first two configured BDs (a second
 * only if two are configured) and the first support user (or dev-bd, dev-bd2 and dev-support when
 * none is configured). Each is a stable user id, so tabs can play every side of an approval, two
 * BDs included.
 */
export function devPersonas(roles: RoleLists): Persona[] {
  const person = (key: Persona['key'], userId: string): Persona => ({ key, userId, name: NAMES[key] });
  const secondBd = roles.bd.length ? roles.bd[1] : DEFAULT_IDS.bd2;
  return [
    person('partner', DEFAULT_IDS.partner),
    person('bd', roles.bd[0] ?? DEFAULT_IDS.bd),
    ...(secondBd ? [person('bd2', secondBd)] : []),
    person('support', roles.support[0] ?? DEFAULT_IDS.support),
  ];
}

/** The roles with the default personas added where the configuration names nobody. */
export function withDevPersonas(roles: RoleLists): RoleLists {
  return {
    // Two BDs, so a second BD's tab can press a card the first already decided.
    bd: roles.bd.length ? roles.bd : [DEFAULT_IDS.bd, DEFAULT_IDS.bd2],
    support: roles.support.length ? roles.support : [DEFAULT_IDS.support],
    admin: roles.admin,
  };
}
