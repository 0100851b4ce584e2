import type { Store } from '../db/database';
import type { Wording } from '../i18n/catalogue';
import { SYSTEM_PREFIX, type RoleDirectory } from '../roles';

/**
 * What people are called. The channel's display name (Teams' and Web Chat's `from.name`) is
 * already kept beside each conversation reference (the reference's `user`), refreshed on every
 * turn that changes it: the names are read from there, newest reference first, rather than
 * copied into a table of their own (docs/decisions.md, "Names, not ids").
 */
export class PeopleDirectory {
  constructor(
    private readonly store: Store,
    private readonly roles: RoleDirectory,
  ) {}

  /** The names of these users, as their newest conversation knows them. */
  async book(userIds: (string | null | undefined)[]): Promise<NameBook> {
    const ids = [...new Set(userIds.filter((u): u is string => Boolean(u)))];
    const names = new Map<string, string>();
    if (ids.length) {
      const rows = await this.store.db
        .selectFrom('conversation_refs')
        .select(['user_id', 'reference'])
        .where('user_id', 'in', ids)
        .orderBy('updated_at', 'desc')
        .execute();
      for (const r of rows) {
        if (names.has(r.user_id)) continue;
        const name = nameIn(r.reference);
        if (name) names.set(r.user_id, name);
      }
    }
    return new NameBook(names, this.roles);
  }
}

/** Names for one message or card: a person by name, "you" to themselves, else by their role. */
export class NameBook {
  constructor(
    private readonly names: Map<string, string>,
    private readonly roles: RoleDirectory,
  ) {}

  /** The display name, if the person ever wrote to the bot under one. */
  nameOf(userId: string | null | undefined): string | undefined {
    return userId ? this.names.get(userId) : undefined;
  }

  /**
   * How `userId` is named to `viewer`, as card text (the binder or the catalogue escapes it):
   * never the id itself, which is a GUID in Teams and means nothing to anyone.
   */
  label(userId: string | null | undefined, w: Wording, viewer?: string): string {
    if (!userId) return w.plain('people.someone');
    if (viewer && userId === viewer) return w.plain('people.you');
    const name = this.names.get(userId);
    if (name) return name;
    if (userId.startsWith(SYSTEM_PREFIX)) return w.plain('people.system');
    const role = this.roles.roleOf(userId);
    if (role === 'bd' || role === 'admin') return w.plain('people.aBd');
    if (role === 'support') return w.plain('people.support');
    return w.plain('people.thePartner');
  }
}

function nameIn(reference: string): string | undefined {
  try {
    const name = (JSON.parse(reference) as { user?: { name?: unknown } }).user?.name;
    return typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}
