import type { Activity } from 'botbuilder';
import type { Counter } from '../kv';
import type { Logger } from '../logger';

export interface TurnGuardOptions {
  /** Teams tenants allowed to use the bot; empty allows any. */
  allowedTenantIds: string[];
  /** Turns per user per window. */
  limit: number;
  windowSeconds: number;
}

/** A refusal says why; `tell` when the person should hear it (the bot words it in their language). */
export type Verdict = { ok: true } | { ok: false; reason: 'tenant' | 'rate'; tell: boolean };

/** What people send to the bot and count against the rate limit: what a person typed or pressed. */
const COUNTED = new Set(['message', 'invoke']);

/**
 * Checks a turn before the bot does anything with it: activities from a Teams tenant that
 * is not allowed are refused politely (and logged), and a user sending more than `limit`
 * turns in a window is asked to slow down once and then ignored until the window ends.
 * Counters live in Keyv (Redis when several instances share them), incremented atomically
 * so a burst across instances cannot overshoot. With the store down the turn goes through:
 * the limit protects the bot from floods, and refusing everyone during an outage would be
 * worse than a flood (the store logs the outage).
 */
export class TurnGuard {
  constructor(
    private readonly counters: Counter,
    private readonly options: TurnGuardOptions,
    private readonly log: Logger,
  ) {}

  async check(activity: Partial<Activity>, userId: string): Promise<Verdict> {
    const tenant = tenantOf(activity);
    if (activity.channelId === 'msteams' && this.options.allowedTenantIds.length) {
      if (!tenant || !this.options.allowedTenantIds.includes(tenant)) {
        this.log.warn(
          { tenant: tenant ?? null, type: activity.type },
          'activity from a tenant that is not allowed',
        );
        return { ok: false, reason: 'tenant', tell: true };
      }
    }
    if (!COUNTED.has(activity.type ?? '')) return { ok: true };
    // Teams refreshes every card a BD scrolls past (trigger "automatic"): not the person's doing.
    if ((activity.value as { trigger?: string } | undefined)?.trigger === 'automatic') return { ok: true };
    const window = Math.floor(Date.now() / 1000 / this.options.windowSeconds);
    let count: number;
    try {
      count = await this.counters.increment(`${userId}:${window}`, this.options.windowSeconds * 1000 * 2);
    } catch {
      return { ok: true };
    }
    if (count <= this.options.limit) return { ok: true };
    if (count === this.options.limit + 1) {
      this.log.warn({ limit: this.options.limit }, 'turn rate limit reached');
      return { ok: false, reason: 'rate', tell: true };
    }
    return { ok: false, reason: 'rate', tell: false };
  }
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? activity.conversation?.tenantId ?? undefined;
}
