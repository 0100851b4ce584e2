import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock';
import type { Store } from '../db/database';
import { preparedQuery, preparedStatement } from '../db/preparedQuery';
import type { Database } from '../db/schema';

// A turn reads its conversation's state, its user's, or both: prepared, as the hot path.
const readOneKey = preparedQuery((db: Kysely<Database>, key: string) =>
  db.selectFrom('bot_state').select(['key', 'data', 'etag']).where('key', '=', key),
);
const readTwoKeys = preparedQuery((db: Kysely<Database>, a: string, b: string) =>
  db.selectFrom('bot_state').select(['key', 'data', 'etag']).where('key', 'in', [a, b]),
);
// And saves what changed, guarded by the eTag it read.
const updateIfETag = preparedStatement(
  (db: Kysely<Database>, key: string, data: string, etag: string, updatedAt: string, expected: string) =>
    db
      .updateTable('bot_state')
      .set({ data, etag, updated_at: updatedAt })
      .where('key', '=', key)
      .where('etag', '=', expected),
);

/** Thrown when a write carries an eTag that is no longer the stored one. */
export class ETagConflictError extends Error {
  constructor(key: string) {
    super(`Storage: eTag conflict for "${key}": the item was changed by another turn or instance`);
    this.name = 'ETagConflictError';
  }
}

/**
 * Bot Framework state in the SQL store, with the real eTag contract: a write whose
 * eTag is stale fails, so two instances never silently overwrite each other's turn.
 * A write without an eTag, or with "*", always wins (as in MemoryStorage).
 * BotStateStore uses the raw methods (one read per turn, JSON it already has);
 * the Storage interface stays for botbuilder's own state classes.
 */
export class SqlStorage implements Storage {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Stored JSON and eTag per key, for the keys that exist. */
  async readRaw(keys: string[]): Promise<Map<string, { data: string; etag: string }>> {
    if (keys.length === 0) return new Map();
    const rows =
      keys.length === 1
        ? await readOneKey(this.store.db, keys[0])
        : keys.length === 2
          ? await readTwoKeys(this.store.db, keys[0], keys[1])
          : await this.store.db
              .selectFrom('bot_state')
              .select(['key', 'data', 'etag'])
              .where('key', 'in', keys)
              .execute();
    return new Map(rows.map((r) => [r.key, { data: r.data, etag: r.etag }]));
  }

  /** Writes one item's JSON; with an eTag only if it is still the stored one. Returns the new eTag. */
  async writeOne(key: string, data: string, eTag?: string): Promise<string> {
    const now = this.clock().toISOString();
    const etag = randomUUID();
    if (eTag && eTag !== '*') {
      const updated = await updateIfETag(this.store.db, key, data, etag, now, eTag);
      if (Number(updated.numAffectedRows ?? 0) === 1) return etag;
      // No row with that eTag: either the item is gone (write it) or it moved on (conflict).
      const inserted = await this.store.db
        .insertInto('bot_state')
        .values({ key, data, etag, updated_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new ETagConflictError(key);
      return etag;
    }
    await this.store.db
      .insertInto('bot_state')
      .values({ key, data, etag, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ data, etag, updated_at: now }))
      .execute();
    return etag;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const [key, row] of await this.readRaw(keys))
      items[key] = { ...JSON.parse(row.data), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
      const etag = await this.writeOne(key, JSON.stringify(rest), eTag);
      // Tell the writer the new eTag, so a second save of the same item still matches.
      if (item) (item as { eTag?: string }).eTag = etag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.store.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
