import type { Activity } from 'botbuilder';

/** The stable user id (DESIGN.md): Teams' AAD object id, else the channel's from.id. */
export function stableUserId(activity: Partial<Activity>): string {
  const from = activity.from;
  if (activity.channelId === 'msteams' && from?.aadObjectId) return from.aadObjectId;
  return from?.id ?? 'anonymous';
}
