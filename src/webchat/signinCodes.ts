import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../clock';
import type { Store } from '../db/database';

export interface SigninCodeOptions {
  /** How long a code works. */
  ttlMs: number;
  /** Wrong guesses at one code before it stops working. */
  maxGuesses: number;
  /** Codes one address may be sent per window. */
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_SIGNIN_CODE_OPTIONS: SigninCodeOptions = {
  ttlMs: 10 * 60_000,
  maxGuesses: 5,
  perWindow: 3,
  windowMs: 15 * 60_000,
};

export type Issued = { ok: true; code: string } | { ok: false; retryAfterMs: number };
export type Checked = { ok: true } | { ok: false; reason: 'wrong' | 'locked' };

/**
 * The one-time codes a Web Chat user proves their e-mail with: six random digits, stored
 * only as a hash, valid `ttlMs`, used once, a few wrong guesses at most, and only a few sent
 * to one address per window (so nobody floods an inbox, or guesses through new codes). One
 * row per address in the SQL store every instance shares; each change is one conditional
 * statement, so two requests at once cannot both use a code or both pass the limit.
 */
export class SigninCodes {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: SigninCodeOptions = DEFAULT_SIGNIN_CODE_OPTIONS,
  ) {}

  get ttlMinutes(): number {
    return Math.round(this.options.ttlMs / 60_000);
  }

  /** A new code for the address (the previous one stops working), unless it was sent too many lately. */
  async issue(email: string): Promise<Issued> {
    const now = this.clock();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const hash = hashOf(email, code);
    const expires = new Date(now.getTime() + this.options.ttlMs).toISOString();
    const windowStart = new Date(now.getTime() - this.options.windowMs).toISOString();
    const { perWindow } = this.options;
    const r = await this.store.db
      .insertInto('signin_codes')
      .values({
        email,
        code_hash: hash,
        expires_at: expires,
        attempts: 0,
        sent_count: 1,
        window_started_at: now.toISOString(),
      })
      .onConflict((oc) =>
        oc
          .column('email')
          .doUpdateSet({
            code_hash: hash,
            expires_at: expires,
            attempts: 0,
            sent_count: sql`case when signin_codes.window_started_at < ${windowStart} then 1 else signin_codes.sent_count + 1 end`,
            window_started_at: sql`case when signin_codes.window_started_at < ${windowStart} then ${now.toISOString()} else signin_codes.window_started_at end`,
          })
          .where((eb) =>
            eb.or([
              eb('signin_codes.window_started_at', '<', windowStart),
              eb('signin_codes.sent_count', '<', perWindow),
            ]),
          ),
      )
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) return { ok: true, code };
    const row = await this.store.db
      .selectFrom('signin_codes')
      .select('window_started_at')
      .where('email', '=', email)
      .executeTakeFirst();
    const reopens = Date.parse(row?.window_started_at ?? now.toISOString()) + this.options.windowMs;
    return { ok: false, retryAfterMs: Math.max(1000, reopens - now.getTime()) };
  }

  /** Whether the code is the address's current one: used up by a match, counted by a miss. */
  async check(email: string, code: string): Promise<Checked> {
    const now = this.clock().toISOString();
    const hash = hashOf(email, code.replace(/\s+/g, ''));
    const used = await this.store.db
      .updateTable('signin_codes')
      .set({ code_hash: null, expires_at: null })
      .where('email', '=', email)
      .where('code_hash', '=', hash)
      .where('expires_at', '>', now)
      .where('attempts', '<', this.options.maxGuesses)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 1) return { ok: true };
    // A miss: counted against the current code, which stops working after maxGuesses.
    await this.store.db
      .updateTable('signin_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('email', '=', email)
      .where('code_hash', 'is not', null)
      .execute();
    const row = await this.store.db
      .selectFrom('signin_codes')
      .select(['attempts', 'code_hash'])
      .where('email', '=', email)
      .executeTakeFirst();
    return {
      ok: false,
      reason: row?.code_hash && row.attempts >= this.options.maxGuesses ? 'locked' : 'wrong',
    };
  }
}

/** The code as stored: a hash bound to its address (a leaked table gives no codes to type). */
function hashOf(email: string, code: string): string {
  return createHash('sha256').update(`${email}\u0000${code}`).digest('base64url');
}
