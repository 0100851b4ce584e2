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

export function bindTemplate(template: Json, data: unknown): Json {
  return bind(template, data, data) ?? null;
}

function bind(node: Json, scope: unknown, root: unknown): Json | undefined {
  if (typeof node === 'string') {
    const whole = node.match(WHOLE);
    if (whole) return toJson(lookup(whole[1], scope, root));
    return node.replace(PART, (_m, expr: string) => {
      const v = lookup(expr, scope, root);
      return v === undefined || v === null ? '' : String(v);
    });
  }
  if (Array.isArray(node)) {
    const out: Json[] = [];
    for (const item of node) {
      if (item && typeof item === 'object' && !Array.isArray(item) && typeof item.$data === 'string') {
        const { $data, ...rest } = item;
        const list = lookup(String($data).replace(WHOLE, '$1'), scope, root);
        for (const each of Array.isArray(list) ? list : []) {
          const bound = bind(rest, each, root);
          if (bound !== undefined) out.push(bound);
        }
      } else {
        const bound = bind(item, scope, root);
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
      const bound = bind(v, scope, root);
      if (bound !== undefined) out[k] = bound;
    }
    return out;
  }
  return node;
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
