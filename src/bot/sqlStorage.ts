import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Store } from '../db/database';

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
 */
export class SqlStorage implements Storage {
  constructor(private readonly store: Store) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.store.db.selectFrom('bot_state').selectAll().where('key', 'in', keys).execute();
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...JSON.parse(row.data), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date().toISOString();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
      const data = JSON.stringify(rest);
      const etag = randomUUID();
      // Tell the writer the new eTag (EtagConversationState keeps it for its next save).
      if (item) (item as { eTag?: string }).eTag = etag;
      if (eTag && eTag !== '*') {
        const updated = await this.store.db
          .updateTable('bot_state')
          .set({ data, etag, updated_at: now })
          .where('key', '=', key)
          .where('etag', '=', eTag)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 1) continue;
        // No row with that eTag: either the item is gone (write it) or it moved on (conflict).
        const inserted = await this.store.db
          .insertInto('bot_state')
          .values({ key, data, etag, updated_at: now })
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new ETagConflictError(key);
      } else {
        await this.store.db
          .insertInto('bot_state')
          .values({ key, data, etag, updated_at: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ data, etag, updated_at: now }))
          .execute();
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.store.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
