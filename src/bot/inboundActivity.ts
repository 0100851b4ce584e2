import { z } from 'zod';
import { expected, parseWith } from '../http/validate';

/**
 * The parts of an inbound activity the adapter and the bot rely on, checked before either
 * runs: without them the adapter throws deep inside (a 500), or for a missing serviceUrl
 * spends seconds fetching a token for the public cloud. Everything else passes through.
 * The caps are far above what Teams or Web Chat send and bound what a caller can make us store.
 */
const id = (max: number) =>
  z
    .string(expected('must be a string'))
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
const account = (max: number) => z.object({ id: id(max) }, expected('must be an object with an id')).loose();

export const inboundActivity = z
  .object(
    {
      type: id(64),
      channelId: id(64),
      serviceUrl: z
        .string(expected('must be an http(s) URL'))
        .max(2048, 'must be at most 2048 characters')
        .refine(isHttpUrl, 'must be an http(s) URL'),
      conversation: account(1024),
      from: account(256),
      // The turn's language is read from it (DESIGN.md): when given, a short string.
      locale: z
        .string('must be a string such as en-US or zh-CN')
        .max(64, 'must be at most 64 characters')
        .optional(),
    },
    expected('must be a Bot Framework activity (a JSON object)'),
  )
  .loose()
  // An invoke is answered by its name; without one there is nothing to answer (the adapter says 501).
  .superRefine((a, ctx) => {
    const name = (a as { name?: unknown }).name;
    if (a.type === 'invoke' && (typeof name !== 'string' || name.length === 0 || name.length > 256)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'an invoke needs a name (1 to 256 characters)',
      });
    }
  });

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The activity, or a 400 `invalid_activity` naming the field that is wrong. */
export function parseActivity(body: unknown): z.infer<typeof inboundActivity> {
  return parseWith(inboundActivity, body, 'invalid_activity');
}
