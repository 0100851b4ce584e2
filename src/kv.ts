import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';

/**
 * Keyv for TTL data (webhook replay ids, rate-limit counters, LLM answer cache):
 * in-memory by default, Redis when KEYV_URL is set so several instances agree.
 */
export function createKeyv<T = unknown>(url: string | undefined, namespace: string): Keyv<T> {
  // An explicit `store: undefined` leaves Keyv 5 without a working store (every get misses): pass a Map.
  const store = url ? new KeyvRedis(url) : new Map();
  return new Keyv<T>({ store, namespace });
}
