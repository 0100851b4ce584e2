import type { z } from 'zod';
import { ApiError } from './apiError';

/** "is required" when a value is absent, else `what`: zod's own wording says neither plainly. */
export const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : what),
});

/** The value as `schema` reads it, or a 400 with `code` naming every field that is wrong. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
  throw ApiError.badRequest(fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields }, code);
}
