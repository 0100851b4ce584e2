import { randomBytes } from 'node:crypto';
import type { Store } from '../db/database';

/** Azure Direct Line's enhanced authentication binds a token's user only for ids starting so. */
export const DIRECT_LINE_PREFIX = 'dl_';

/** Ids known to be issued are remembered this long (they are never reassigned). */
const KNOWN_CACHE = 10_000;

/**
 * Who a proven e-mail address is in Web Chat: the same user id every time it signs in, so a
 * partner finds their application again. Staff sign in with their STAFF_EMAILS address and are
 * their configured user id. Everyone else gets an unguessable id (dl_ and 22 random
 * characters) the first time; nobody can choose it, type it or learn it from another's.
 */
export class WebChatIdentities {
  private readonly known = new Set<string>();
  private readonly staffByAddress: Map<string, string>;

  constructor(
    private readonly store: Store,
    /** STAFF_EMAILS: user id → address. */
    staff: Record<string, string>,
  ) {
    this.staffByAddress = new Map(Object.entries(staff).map(([id, address]) => [normalise(address), id]));
  }

  /** The user id the address signs in as (created on its first sign-in). */
  async userIdFor(email: string): Promise<string> {
    const address = normalise(email);
    const staff = this.staffByAddress.get(address);
    if (staff) return staff;
    const now = new Date().toISOString();
    // Two first sign-ins at once: one insert wins, both read the winner's id.
    await this.store.db
      .insertInto('webchat_identities')
      .values({
        email: address,
        user_id: `${DIRECT_LINE_PREFIX}${randomBytes(16).toString('base64url')}`,
        created_at: now,
        signed_in_at: now,
      })
      .onConflict((oc) => oc.column('email').doUpdateSet({ signed_in_at: now }))
      .execute();
    const row = await this.store.db
      .selectFrom('webchat_identities')
      .select('user_id')
      .where('email', '=', address)
      .executeTakeFirstOrThrow();
    this.remember(row.user_id);
    return row.user_id;
  }

  /** Whether a Web Chat from.id is one this product issued on a sign-in (or a staff member's). */
  async issued(userId: string): Promise<boolean> {
    if (this.known.has(userId) || [...this.staffByAddress.values()].includes(userId)) return true;
    if (!userId.startsWith(DIRECT_LINE_PREFIX)) return false;
    const row = await this.store.db
      .selectFrom('webchat_identities')
      .select('user_id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row) this.remember(userId);
    return Boolean(row);
  }

  private remember(userId: string): void {
    if (this.known.size >= KNOWN_CACHE) this.known.delete(this.known.values().next().value!);
    this.known.add(userId);
  }
}

/** Addresses compare as people type them: spaces around and letter case do not matter. */
export function normalise(email: string): string {
  return email.trim().toLowerCase();
}
