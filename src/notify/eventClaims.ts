import type { Store } from '../db/database';
import { systemClock, type Clock } from '../clock';

export type Claim = { kind: 'mine' } | { kind: 'done' } | { kind: 'busy'; untilMs: number };

/**
 * Who is handling a webhook event, in the SQL store every instance shares. A request claims
 * the event before it sends anything: one insert or one conditional update, so of several
 * copies in flight exactly one gets it. A claim lapses at `claimed_until` (its holder died);
 * a handled event is `done` for good, and every later copy is a duplicate.
 */
export class EventClaims {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(eventId: string, owner: string, leaseMs: number): Promise<Claim> {
    const now = this.clock();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const inserted = await this.store.db
      .insertInto('notification_events')
      .values({
        event_id: eventId,
        status: 'claimed',
        claimed_by: owner,
        claimed_until: until,
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'mine' };
    // Tried before and handed back, or its holder's lease ran out: take it over.
    const taken = await this.store.db
      .updateTable('notification_events')
      .set({ status: 'claimed', claimed_by: owner, claimed_until: until, updated_at: now.toISOString() })
      .where('event_id', '=', eventId)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'released'),
          eb.and([eb('status', '=', 'claimed'), eb('claimed_until', '<', now.toISOString())]),
        ]),
      )
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { kind: 'mine' };
    const row = await this.store.db
      .selectFrom('notification_events')
      .select(['status', 'claimed_until'])
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (!row || row.status === 'done') return { kind: 'done' };
    return { kind: 'busy', untilMs: Date.parse(row.claimed_until ?? now.toISOString()) };
  }

  /** Keeps a live holder's claim from lapsing while it works. */
  async renew(eventId: string, owner: string, leaseMs: number): Promise<void> {
    await this.store.db
      .updateTable('notification_events')
      .set({ claimed_until: new Date(this.clock().getTime() + leaseMs).toISOString() })
      .where('event_id', '=', eventId)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'claimed')
      .execute();
  }

  /** Handled: every later copy is a duplicate. */
  async done(eventId: string, owner: string): Promise<void> {
    await this.finish(eventId, owner, 'done');
  }

  /** Not handled completely: the next copy (the dispatcher's retry) may take it at once. */
  async release(eventId: string, owner: string): Promise<void> {
    await this.finish(eventId, owner, 'released');
  }

  private async finish(eventId: string, owner: string, status: string): Promise<void> {
    await this.store.db
      .updateTable('notification_events')
      .set({ status, claimed_by: null, claimed_until: null, updated_at: this.clock().toISOString() })
      .where('event_id', '=', eventId)
      .where('claimed_by', '=', owner)
      .execute();
  }
}
