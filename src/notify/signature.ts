import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where the dispatcher puts the timestamp and the signature (DESIGN.md: the timestamp in its own header). */
export const NOTIFY_HEADERS = {
  timestamp: 'x-notify-timestamp',
  signature: 'x-notify-signature',
} as const;

/** A signed request older (or further in the future) than this is refused. */
export const MAX_SKEW_SECONDS = 300;

/** HMAC-SHA256 over `timestamp + "." + body`, hex, as `sha256=<hex>`. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type Verdict =
  | { ok: true }
  | { ok: false; code: 'missing_signature' | 'bad_signature' | 'stale_timestamp'; message: string };

/**
 * Checks the signature over the raw body and that the timestamp is fresh. The signature
 * may be hex or base64, with or without a `sha256=` prefix; the timestamp is Unix seconds
 * (milliseconds and ISO-8601 are read too). Any one secret of `secrets` may have signed it,
 * so a secret can be rotated without a gap.
 */
export function verify(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  secrets: string[],
  nowMs: number,
): Verdict {
  // Our header first, else any header naming itself so (X-Timestamp, X-Hub-Signature-256, …):
  // the HMAC still has to match, so this only widens the spellings a sender may use.
  const header = (ours: string, word: RegExp, not?: RegExp) => {
    const named = Object.entries(headers).find(
      ([n, v]) => word.test(n) && !not?.test(n) && typeof v === 'string',
    );
    const v = headers[ours] ?? named?.[1];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const timestamp = header(NOTIFY_HEADERS.timestamp, /timestamp/i);
  const signature = header(NOTIFY_HEADERS.signature, /signature/i, /timestamp/i);
  if (!timestamp || !signature) {
    return {
      ok: false,
      code: 'missing_signature',
      message: `send ${NOTIFY_HEADERS.timestamp} and ${NOTIFY_HEADERS.signature}`,
    };
  }
  const given = decodeSignature(signature);
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
    return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, code: 'bad_signature', message: 'signature does not match the body' };
  const at = timestampMs(timestamp);
  if (at === undefined || Math.abs(nowMs - at) > MAX_SKEW_SECONDS * 1000) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `timestamp must be within ${MAX_SKEW_SECONDS} s of now`,
    };
  }
  return { ok: true };
}

function decodeSignature(value: string): Buffer | undefined {
  const v = value.replace(/^sha256=/i, '');
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, 'base64');
  return b.length === 32 ? b : undefined;
}

function timestampMs(value: string): number | undefined {
  if (/^\d{1,11}$/.test(value)) return Number(value) * 1000;
  if (/^\d{12,14}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
