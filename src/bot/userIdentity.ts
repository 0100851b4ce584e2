import type { Activity } from 'botbuilder';
import { SYSTEM_PREFIX, type Role, type RoleDirectory } from '../roles';

/** Who is talking, resolved from the stable channel user id at the start of each turn. */
export interface TurnUser {
  userId: string;
  role: Role;
  channelId: string;
  name?: string;
}

/** Where the turn's TurnUser sits in `ctx.turnState`. */
export const TURN_USER = Symbol('turnUser');

/** The stable user id (DESIGN.md): Teams' AAD object id, else the channel's from.id. */
export function stableUserId(activity: Partial<Activity>): string {
  const from = activity.from;
  if (activity.channelId === 'msteams' && from?.aadObjectId) return from.aadObjectId;
  return from?.id ?? 'anonymous';
}

/** Who is talking in this activity, with the role their stable id has in the roles config. */
export function turnUserOf(activity: Partial<Activity>, roles: RoleDirectory): TurnUser {
  const raw = stableUserId(activity);
  // A chat user naming themselves "system:…" must not borrow the services' identity.
  const userId = raw.startsWith(SYSTEM_PREFIX) ? `user:${raw}` : raw;
  return {
    userId,
    role: roles.roleOf(userId),
    channelId: activity.channelId ?? '',
    name: activity.from?.name,
  };
}
