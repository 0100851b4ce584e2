import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { ActionName, Status } from './machine';
import type { HistoryEntry } from './schemas';

type Db = Kysely<Database> | Transaction<Database>;

export interface TransitionRecord {
  applicationId: string;
  version: number;
  action: ActionName;
  from: Status | null;
  to: Status;
  actor: string;
  actorRole: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/**
 * What every transition leaves behind, written in the transaction that makes it:
 * one audit row (history) and one event for the notification dispatcher (outbox).
 */
export class Journal {
  async record(db: Db, t: TransitionRecord): Promise<string> {
    await db
      .insertInto('history')
      .values({
        application_id: t.applicationId,
        version: t.version,
        action: t.action,
        from_status: t.from,
        to_status: t.to,
        actor: t.actor,
        actor_role: t.actorRole,
        payload: JSON.stringify(t.payload),
        occurred_at: t.occurredAt,
      })
      .execute();
    const eventId = randomUUID();
    await db
      .insertInto('outbox')
      .values({
        id: eventId,
        type: t.action,
        application_id: t.applicationId,
        from_status: t.from,
        to_status: t.to,
        actor: t.actor,
        occurred_at: t.occurredAt,
        attempts: 0,
        next_attempt_at: t.occurredAt,
        delivered_at: null,
        last_error: null,
      })
      .execute();
    return eventId;
  }

  async history(db: Db, applicationId: string): Promise<HistoryEntry[]> {
    const rows = await db
      .selectFrom('history')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      action: r.action as ActionName,
      from: r.from_status,
      to: r.to_status,
      actor: r.actor,
      actorRole: r.actor_role,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      occurredAt: r.occurred_at,
    }));
  }
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Idempotency keys, scoped to the acting user: the same key replays the first answer. */
export class IdempotencyStore {
  async find(db: Db, actor: string, key: string): Promise<StoredResponse | undefined> {
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('actor', '=', actor)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { requestHash: row.request_hash, status: row.status_code, body: JSON.parse(row.response) };
  }

  async save(db: Db, actor: string, key: string, stored: StoredResponse, now: string): Promise<void> {
    await db
      .insertInto('idempotency_keys')
      .values({
        actor,
        key,
        request_hash: stored.requestHash,
        status_code: stored.status,
        response: JSON.stringify(stored.body),
        created_at: now,
      })
      .execute();
  }

  async purgeOlderThan(db: Db, cutoff: string): Promise<number> {
    const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
