/**
 * A small subset of the Adaptive Cards Templating language, enough for our templates:
 * `${path}` in strings (a whole-string `${path}` keeps the value's type), `$when` to
 * keep an element only when its expression is truthy, and `$data` on an array element
 * to repeat it for each item (inside it, paths resolve against the item, `$root.` against
 * the top). It is not the official templating SDK and differs from it: `$when` here takes
 * a bare path (the SDK wants an expression) and an unfilled placeholder becomes "" (the
 * SDK leaves it in place), so the templates are this binder's, not the SDK's.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const WHOLE = /^\$\{([^}]+)\}$/;
const PART = /\$\{([^}]+)\}/g;

/** How a value is placed into text the channel renders as Markdown (TextBlock text, facts). */
export type Escape = (value: string, multiline: boolean) => string;

/** Where a string sits: rendered Markdown (one line or several), or anything else (ids, inputs, data). */
type Sink = 'none' | 'line' | 'lines';

export function bindTemplate(template: Json, data: unknown, escape?: Escape): Json {
  return bind(template, data, data, { escape, sink: 'none', facts: false }) ?? null;
}

interface Place {
  escape?: Escape;
  sink: Sink;
  /** Inside a FactSet's facts: their title and value are Markdown too. */
  facts: boolean;
}

function bind(node: Json, scope: unknown, root: unknown, place: Place): Json | undefined {
  if (typeof node === 'string') {
    const escape = place.sink !== 'none' ? place.escape : undefined;
    const placed = (v: unknown) =>
      v === undefined || v === null ? '' : escape ? escape(String(v), place.sink === 'lines') : String(v);
    const whole = node.match(WHOLE);
    if (whole) {
      const v = lookup(whole[1], scope, root);
      return escape && typeof v === 'string' ? placed(v) : toJson(v);
    }
    return node.replace(PART, (_m, expr: string) => placed(lookup(expr, scope, root)));
  }
  if (Array.isArray(node)) {
    const out: Json[] = [];
    for (const item of node) {
      if (item && typeof item === 'object' && !Array.isArray(item) && typeof item.$data === 'string') {
        const { $data, ...rest } = item;
        const list = lookup(String($data).replace(WHOLE, '$1'), scope, root);
        for (const each of Array.isArray(list) ? list : []) {
          const bound = bind(rest, each, root, place);
          if (bound !== undefined) out.push(bound);
        }
      } else {
        const bound = bind(item, scope, root, place);
        if (bound !== undefined) out.push(bound);
      }
    }
    return out;
  }
  if (node && typeof node === 'object') {
    if ('$when' in node) {
      const expr = String(node.$when).replace(WHOLE, '$1');
      const negate = expr.startsWith('!');
      const value = lookup(negate ? expr.slice(1) : expr, scope, root);
      const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
      if (truthy === negate) return undefined;
    }
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$when') continue;
      const bound = bind(v, scope, root, placeOf(node, k, place));
      if (bound !== undefined) out[k] = bound;
    }
    return out;
  }
  return node;
}

/** TextBlock text (several lines) and fact titles and values (one line) are rendered Markdown. */
function placeOf(node: { [key: string]: Json }, key: string, parent: Place): Place {
  if (node.type === 'TextBlock' && key === 'text') return { ...parent, sink: 'lines', facts: false };
  if (node.type === 'FactSet' && key === 'facts') return { ...parent, sink: 'none', facts: true };
  if (parent.facts && (key === 'title' || key === 'value')) return { ...parent, sink: 'line', facts: false };
  return { ...parent, sink: 'none', facts: parent.facts && key === '$data' };
}

function lookup(expr: string, scope: unknown, root: unknown): unknown {
  const path = expr.trim();
  if (path === '$data') return scope;
  const [base, parts] = path.startsWith('$root.')
    ? [root, path.slice(6).split('.')]
    : [scope, path.split('.')];
  let v: unknown = base;
  for (const p of parts) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function toJson(v: unknown): Json | undefined {
  if (v === undefined) return '';
  return v as Json;
}
