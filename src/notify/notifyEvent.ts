import { z } from 'zod';

/**
 * The webhook body (DESIGN.md): one outbox event, i.e. one state change. `type` is the
 * workflow action and `from` / `to` its statuses; they are read leniently (any string) so
 * an event this version has no words for is acknowledged and still refreshes cards,
 * rather than refused and retried for ever.
 */
export const notifyEvent = z.object({
  eventId: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  applicationId: z.string().min(1).max(200),
  from: z.string().max(100).nullable().optional().default(null),
  to: z.string().max(100),
  actor: z.string().min(1).max(200),
  // Dates are formatted for people; one that is not a date would throw there (a 500 and retries for ever).
  occurredAt: z.iso.datetime({
    offset: true,
    error: 'must be an ISO-8601 date and time, e.g. 2026-05-04T08:00:00.000Z',
  }),
});

export type NotifyEvent = z.infer<typeof notifyEvent>;
