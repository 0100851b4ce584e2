/** Who a user is to the product; resolved from the stable channel user id on every call. */
export type Role = 'partner' | 'bd' | 'support' | 'admin';

export interface RoleLists {
  bd: string[];
  support: string[];
  admin: string[];
}

/**
 * The product's own services (the notifier, the reminder scheduler) read applications
 * through the workflow API under this id, with support's read-only role. No chat user can
 * carry it: turnUserOf never yields an id with this prefix.
 */
export const SYSTEM_ACTOR = 'system:notifier';
export const SYSTEM_PREFIX = 'system:';

/** Role lookup from BD_USER_IDS / SUPPORT_USER_IDS / ADMIN_USER_IDS; the strongest listing wins. */
export class RoleDirectory {
  private readonly admin: Set<string>;
  private readonly bd: Set<string>;
  private readonly support: Set<string>;

  constructor(lists: RoleLists) {
    this.admin = new Set(lists.admin);
    this.bd = new Set(lists.bd);
    this.support = new Set(lists.support);
  }

  roleOf(userId: string): Role {
    if (userId === SYSTEM_ACTOR) return 'support';
    if (this.admin.has(userId)) return 'admin';
    if (this.bd.has(userId)) return 'bd';
    if (this.support.has(userId)) return 'support';
    return 'partner';
  }

  /** Users who hold a role by configuration (used to reach BDs and support proactively). */
  usersWith(role: Exclude<Role, 'partner'>): string[] {
    return [...this[role]];
  }

  /** Support staff and admins, each once: who hears hand-overs and missed deadlines. */
  staff(): string[] {
    return [...new Set([...this.support, ...this.admin])];
  }
}
