/** A small seeded generator (mulberry32): the same seed gives the same requests. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Strings people, scripts and attackers send: empty, long, unicode, markup, escapes, controls. */
const NASTY = [
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '%ZZ',
  '%',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '**Evil** [click me](http://evil.example/x) <img src=x>',
  "'; DROP TABLE applications; --",
  '{"a":',
  '\u0000\u0001\u001f',
  '\ud800',
  '公司名称有限公司',
  '😀'.repeat(50),
  '5123456789012345',
  'system:notifier',
  '__proto__',
  'constructor',
  '2026-13-45T99:00:00Z',
  'garbage',
];

/** A random string; never an http(s) URL, so nothing generated sends the product off this machine. */
export function randomString(r: Random): string {
  if (r.chance(0.5)) return r.pick(NASTY);
  const length = r.pick([1, 5, 20, 300, 5000]);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(r.chance(0.9) ? 32 + r.int(95) : r.int(0xffff));
  return s.replace(/^\s*https?:/i, 'x');
}

/** Any JSON value, nested up to `depth`. */
export function randomJson(r: Random, depth = 4): unknown {
  const kind = r.int(depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1, 2 ** 53, -(2 ** 31), 1.5, 1e308, 16]);
    case 3:
    case 4:
    case 5:
      return randomString(r);
    case 6:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--)
        out[r.chance(0.3) ? r.pick(NASTY) : `k${r.int(20)}`] = randomJson(r, depth - 1);
      return out;
    }
  }
}

/**
 * A valid value, changed: a field dropped, replaced with anything, or set to null; nested
 * objects are changed the same way, so the checks behind the first ones get reached too.
 */
export function mutate(r: Random, value: unknown, rounds = 1 + r.int(3)): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (let i = 0; i < rounds; i++) {
    const keys = Object.keys(out);
    const key = keys.length && r.chance(0.8) ? r.pick(keys) : r.pick(NASTY);
    const what = r.int(4);
    if (what === 0) delete out[key];
    else if (what === 1) out[key] = randomJson(r, 2);
    else if (what === 2) out[key] = null;
    else out[key] = mutate(r, out[key]);
  }
  return out;
}
