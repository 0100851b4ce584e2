import type { Activity } from './framework';

/** Channels whose user is whoever the client says they are, unless the server gave the identity. */
const WEB_CHANNELS = new Set(['webchat', 'directline']);

/**
 * In production, a Web Chat (Direct Line) activity is taken only from a user id the product
 * issued at a sign-in (webchat/webChatIdentities.ts: dl_ ids, or a staff member's configured
 * id). Azure's enhanced authentication makes the channel keep each token's from.id; this
 * check makes sure that id came from a proven e-mail and not from a Web Chat page someone
 * else built with the channel's secret, or from the portal's test chat. Teams is unaffected:
 * its ids are the channel's own (AAD object ids).
 */
export class WebChatIdentityCheck {
  constructor(private readonly identities: { issued(userId: string): Promise<boolean> }) {}

  async allows(activity: Partial<Activity>): Promise<boolean> {
    if (!WEB_CHANNELS.has(activity.channelId ?? '')) return true;
    const id = activity.from?.id;
    return Boolean(id) && this.identities.issued(id!);
  }
}
