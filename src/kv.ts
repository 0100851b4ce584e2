import Keyv from 'keyv';
import type * as KeyvRedisModule from '@keyv/redis';
import type { Logger } from './logger';

/** The TTL store could not answer in time (down, unreachable, or marked down after a failure). */
export class KvUnavailable extends Error {}

/** Values with a time to live: webhook replay ids, cached LLM answers. */
export interface TtlStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs: number): Promise<void>;
}

/** Counters with a time to live, incremented atomically (the turn rate limit). */
export interface Counter {
  /** Adds one and returns the new count; the first increment starts the TTL. */
  increment(key: string, ttlMs: number): Promise<number>;
}

export interface KvOptions {
  /** KEYV_URL: redis://… for a store several instances share; in memory when unset. */
  url?: string;
  /** Every call's budget (KEYV_TIMEOUT_MS); past it the call fails with KvUnavailable. */
  timeoutMs: number;
  log: Logger;
  /** While down, at most one call per this long tries the store; the others fail at once. */
  probeIntervalMs?: number;
}

type RedisClient = ReturnType<typeof KeyvRedisModule.createClient>;

/** Loaded only when KEYV_URL is set: the Redis client is ~65 ms of start-up an in-memory instance never uses. */
function keyvRedis(): typeof KeyvRedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@keyv/redis') as typeof KeyvRedisModule;
}

/**
 * The Keyv store for TTL data (DESIGN.md), with what Keyv lacks for an outage: every call is
 * bounded by `timeoutMs` and fails with KvUnavailable instead of hanging (Keyv's Redis client
 * waits for a reconnect without limit, and Keyv alone answers a failed get with "not found");
 * after a failure the store counts as down and calls fail at once, but for one probe per
 * `probeIntervalMs`; the outage is logged once when it starts and once when it ends. Each
 * caller decides what a failure means for it (see docs/decisions.md). One Redis connection
 * serves every namespace.
 */
export class Kv {
  private down: { since: number; lastProbe: number } | undefined;
  private closed = false;
  private readonly probeIntervalMs: number;
  private readonly redis?: RedisClient;
  /** The first connection: calls made while it is being made wait for it (within their budget). */
  private connected: Promise<unknown> = Promise.resolve();
  private readonly memoryCounters = new Map<string, { count: number; expires: number }>();

  constructor(private readonly options: KvOptions) {
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    if (options.url) {
      this.redis = keyvRedis().createClient({
        url: options.url,
        // A command sent while disconnected fails at once rather than waiting in a queue.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: Math.max(options.timeoutMs, 1000),
          // Quick retries, so a store that comes back is used again within half a second;
          // none once closed, so a stopped process is not held open by a pending reconnect.
          reconnectStrategy: (retries: number) =>
            this.closed ? new Error('closed') : Math.min(50 * 2 ** retries, 500),
        },
      });
      // Connection errors come here (and would kill the process without a listener); calls report their own.
      this.redis.on('error', () => undefined);
      // Keeps retrying (reconnectStrategy) until it connects; only close() ends it early.
      this.connected = this.redis.connect().catch(() => undefined);
    }
  }

  get kind(): 'redis' | 'memory' {
    return this.redis ? 'redis' : 'memory';
  }

  namespace<T>(name: string): TtlStore<T> {
    const keyv = this.redis
      ? new Keyv<T>({
          store: new (keyvRedis().default)(this.redis as never, {
            throwOnConnectError: true,
            throwOnErrors: true,
          }),
          namespace: name,
          throwOnErrors: true,
        })
      : // An explicit `store: undefined` leaves Keyv 5 without a working store (every get misses): pass a map.
        new Keyv<T>({ store: new ExpiringMap(), namespace: name });
    keyv.on('error', () => undefined);
    return {
      get: (key) => this.call(() => keyv.get(key)),
      set: async (key, value, ttlMs) => {
        await this.call(() => keyv.set(key, value, ttlMs));
      },
    };
  }

  counter(name: string): Counter {
    return {
      increment: (key, ttlMs) => {
        const full = `${name}::${key}`;
        if (!this.redis) return Promise.resolve(this.incrementInMemory(full, ttlMs));
        const redis = this.redis;
        return this.call(async () => {
          // One round trip, applied atomically: INCR, and the TTL set only by the first increment.
          const [count] = await redis.multi().incr(full).pExpire(full, ttlMs, 'NX').exec();
          return Number(count);
        });
      },
    };
  }

  /** Readiness: the store answers a PING within the timeout (always, in memory). */
  async check(): Promise<void> {
    const redis = this.redis;
    if (redis) await this.call(() => redis.ping(), { probe: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.redis?.isOpen) return;
    // Graceful when connected; a client still trying to connect is stopped at once.
    if (this.redis.isReady) await this.redis.close().catch(() => undefined);
    else this.redis.destroy();
  }

  private incrementInMemory(key: string, ttlMs: number): number {
    const now = Date.now();
    if (this.memoryCounters.size > 10_000) {
      for (const [k, v] of this.memoryCounters) if (v.expires <= now) this.memoryCounters.delete(k);
    }
    const entry = this.memoryCounters.get(key);
    if (!entry || entry.expires <= now) {
      this.memoryCounters.set(key, { count: 1, expires: now + ttlMs });
      return 1;
    }
    return ++entry.count;
  }

  /** Runs one store call within the timeout, keeping track of whether the store is up. */
  private async call<R>(command: () => Promise<R>, { probe = false } = {}): Promise<R> {
    const op = async () => {
      await this.connected;
      return command();
    };
    const now = Date.now();
    if (this.down && !probe) {
      if (now - this.down.lastProbe < this.probeIntervalMs) throw new KvUnavailable('keyv store is down');
      this.down.lastProbe = now;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        op(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new KvUnavailable(`no answer within ${this.options.timeoutMs} ms`)),
            this.options.timeoutMs,
          );
        }),
      ]);
      this.up();
      return result;
    } catch (err) {
      this.failed(err);
      throw err instanceof KvUnavailable ? err : new KvUnavailable((err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  private up(): void {
    if (!this.down) return;
    this.options.log.info({ store: 'keyv', downForMs: Date.now() - this.down.since }, 'keyv store recovered');
    this.down = undefined;
  }

  private failed(err: unknown): void {
    if (this.down) return;
    const now = Date.now();
    this.down = { since: now, lastProbe: now };
    this.options.log.error({ store: 'keyv', err: (err as Error).message }, 'keyv store unavailable');
  }
}

/**
 * The in-memory store behind a Keyv namespace: a Map that forgets entries past their TTL.
 * Keyv itself drops an expired entry only when it is read again, which a replay id (one per
 * notification) or a cached answer never may be: a plain Map grew without bound in a
 * long-running process. Expired entries are swept every `sweepEvery` writes, and past
 * `maxEntries` the oldest go first.
 */
export class ExpiringMap<V = unknown> extends Map<string, V> {
  private readonly expires = new Map<string, number>();
  private writes = 0;

  constructor(
    private readonly maxEntries = 50_000,
    private readonly sweepEvery = 1_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override set(key: string, value: V, ttlMs?: number): this {
    super.delete(key); // re-inserted last: Map order is the age order the cap evicts by
    super.set(key, value);
    if (ttlMs && ttlMs > 0) this.expires.set(key, this.now() + ttlMs);
    else this.expires.delete(key);
    if (++this.writes % this.sweepEvery === 0) this.sweep();
    while (this.size > this.maxEntries) this.delete(this.keys().next().value!);
    return this;
  }

  override get(key: string): V | undefined {
    const until = this.expires.get(key);
    if (until !== undefined && until <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return super.get(key);
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined || (super.has(key) && !this.expires.has(key));
  }

  override delete(key: string): boolean {
    this.expires.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.expires.clear();
    super.clear();
  }

  /** Drops every entry past its TTL. */
  sweep(): void {
    const now = this.now();
    for (const [key, until] of this.expires) if (until <= now) this.delete(key);
  }
}
