import { z } from 'zod';
import { ACTIONS, STATUSES } from '../workflow/machine';

/** The webhook body (DESIGN.md): one outbox event, i.e. one state change. */
export const notifyEvent = z.object({
  eventId: z.string().min(1).max(100),
  type: z.enum(ACTIONS),
  applicationId: z.string().min(1).max(100),
  from: z.enum(STATUSES).nullable(),
  to: z.enum(STATUSES),
  actor: z.string().min(1).max(200),
  occurredAt: z.string().min(1),
});

export type NotifyEvent = z.infer<typeof notifyEvent>;
