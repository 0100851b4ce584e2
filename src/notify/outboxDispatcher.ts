import { sql, type Kysely, type Selectable } from 'kysely';
import type { Clock } from '../clock';
import type { Store } from '../db/database';
import type { Database, OutboxTable } from '../db/schema';
import type { Logger } from '../logger';
import type { EventTransport } from './eventTransport';
import type { NotifyEvent } from './notifyEvent';

export interface DispatcherOptions {
  /** How an event reaches the bot: the signed webhook, or straight to it in this process. */
  transport: EventTransport;
  pollMs: number;
  /** A claimed event not acknowledged within this is claimed again (its dispatcher died). */
  leaseMs: number;
  batchSize: number;
  /** Applications delivered in parallel; one application's events always go in order. */
  concurrency: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** How long the bot may take to acknowledge one event (webhook or in process). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export const DEFAULT_DISPATCHER_OPTIONS: Omit<DispatcherOptions, 'transport'> = {
  pollMs: 200,
  leaseMs: 30_000,
  batchSize: 50,
  concurrency: 4,
  baseBackoffMs: 500,
  maxBackoffMs: 5 * 60_000,
};

type OutboxRow = Selectable<OutboxTable>;
/** An arbitrary constant naming the outbox-claim advisory lock. */
const CLAIM_LOCK_KEY = 7_301_942;

/**
 * Drains the outbox (written in the same transaction as each state change) to the bot (a
 * signed webhook, or in process), until each event is acknowledged. Rows are claimed with a lease: an
 * UPDATE … RETURNING over the oldest due rows (FOR UPDATE SKIP LOCKED on Postgres, so
 * several instances share the work); a process killed mid-delivery leaves its rows to be
 * claimed again when the lease runs out. Failures back off exponentially with jitter.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the delivery in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Claims due events and delivers them; returns how many were acknowledged. */
  async drainOnce(): Promise<number> {
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const byApplication = new Map<string, OutboxRow[]>();
    for (const r of rows)
      byApplication.set(r.application_id, [...(byApplication.get(r.application_id) ?? []), r]);
    const queues = [...byApplication.values()];
    let delivered = 0;
    const worker = async () => {
      for (let q = queues.shift(); q; q = queues.shift()) {
        for (let i = 0; i < q.length; i++) {
          const outcome = await this.deliver(q[i]);
          if (outcome === 'delivered') {
            delivered++;
            continue;
          }
          // Keep the application's order: its later events wait as long as the failed one.
          await this.release(q.slice(i + 1), outcome.retryAt);
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queues.length) }, worker));
    return delivered;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = (async () => {
        let delivered = 0;
        try {
          delivered = await this.drainOnce();
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'outbox drain failed');
        }
        // A full batch means more may be waiting: go again at once.
        this.schedule(delivered >= this.options.batchSize ? 0 : this.options.pollMs);
      })();
    }, delayMs);
    this.timer.unref();
  }

  private async claim(): Promise<OutboxRow[]> {
    if (this.store.dialect !== 'postgres') return this.claimIn(this.store.db, false);
    // Claims (not deliveries) take turns across instances: a claim then sees the leases the
    // previous one committed, so no instance takes an application's later event while
    // another holds its earlier one. SKIP LOCKED keeps a claim from waiting on rows in flight.
    return this.store.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`.execute(trx);
      return this.claimIn(trx, true);
    });
  }

  private async claimIn(db: Kysely<Database>, postgres: boolean): Promise<OutboxRow[]> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + this.options.leaseMs).toISOString();
    return db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('seq', 'in', (eb) => {
        const due = eb
          .selectFrom('outbox')
          .select('seq')
          .where('delivered_at', 'is', null)
          .where('next_attempt_at', '<=', now.toISOString())
          // An application's event waits while an earlier one is claimed elsewhere or backing off.
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('outbox as earlier')
                  .select('earlier.seq')
                  .whereRef('earlier.application_id', '=', 'outbox.application_id')
                  .whereRef('earlier.seq', '<', 'outbox.seq')
                  .where('earlier.delivered_at', 'is', null)
                  .where('earlier.next_attempt_at', '>', now.toISOString()),
              ),
            ),
          )
          .orderBy('seq')
          .limit(this.options.batchSize);
        return postgres ? due.forUpdate().skipLocked() : due;
      })
      .returningAll()
      .execute()
      .then((rows) => rows.sort((a, b) => a.seq - b.seq));
  }

  private async deliver(row: OutboxRow): Promise<'delivered' | { retryAt: string }> {
    const event: NotifyEvent = {
      eventId: row.id,
      type: row.type as NotifyEvent['type'],
      applicationId: row.application_id,
      from: row.from_status as NotifyEvent['from'],
      to: row.to_status as NotifyEvent['to'],
      actor: row.actor,
      occurredAt: row.occurred_at,
    };
    const delivery = await this.options.transport(event);
    if (delivery.ok) {
      await this.store.db
        .updateTable('outbox')
        .set({ delivered_at: this.clock().toISOString(), last_error: null })
        .where('seq', '=', row.seq)
        .execute();
      return 'delivered';
    }
    const { failure, retryAfterMs } = delivery;
    const wait = Math.max(retryAfterMs ?? 0, this.backoff(row.attempts));
    this.log.warn(
      { eventId: row.id, attempts: row.attempts, retryInMs: wait, failure },
      'notify delivery failed',
    );
    const retryAt = new Date(this.clock().getTime() + wait).toISOString();
    await this.store.db
      .updateTable('outbox')
      .set({ next_attempt_at: retryAt, last_error: failure })
      .where('seq', '=', row.seq)
      .execute();
    return { retryAt };
  }

  /** Exponential with full jitter between half and all of the step, capped. */
  private backoff(attempts: number): number {
    const step = Math.min(
      this.options.maxBackoffMs,
      this.options.baseBackoffMs * 2 ** Math.max(0, attempts - 1),
    );
    return Math.round(step / 2 + Math.random() * (step / 2));
  }

  /** Hands claimed but untried rows back, due at `retryAt`. */
  private async release(rows: OutboxRow[], retryAt: string): Promise<void> {
    if (rows.length === 0) return;
    await this.store.db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: retryAt, attempts: eb('attempts', '-', 1) }))
      .where(
        'seq',
        'in',
        rows.map((r) => r.seq),
      )
      .execute();
  }
}
