import { z } from 'zod';

/** What tokens/generate answers (Direct Line 3.0). */
const generated = z.object({
  token: z.string().min(1),
  conversationId: z.string().min(1).optional(),
  expires_in: z.number().optional(),
});

export type DirectLineToken = z.infer<typeof generated>;

export class DirectLineUnavailable extends Error {}

/**
 * Direct Line tokens bound to a user: POST {directLine}/tokens/generate with the channel's
 * secret (DIRECT_LINE_SECRET) and the user's id and name in the body, as Azure documents it.
 * With the Direct Line site's Enhanced authentication on (and the id starting with dl_),
 * Azure embeds the id in the token and every activity the token sends reaches the bot with
 * that from.id, whatever the client wrote. A development instance's dev channel answers the
 * same route and refuses an activity whose from.id differs from the token's user.
 */
export class DirectLineTokens {
  constructor(
    private readonly options: {
      /** The Direct Line endpoint: Azure's (DIRECT_LINE_URL) or the dev channel's own. */
      url: string | (() => string);
      secret: string;
      timeoutMs?: number;
      /** The dev channel takes the client's locale here (its join activity carries it); Azure's route is sent only what it documents. */
      sendsLocale?: boolean;
    },
  ) {}

  async generate(user: { id: string; name?: string }, locale?: string): Promise<DirectLineToken> {
    const base = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    let res: Response;
    try {
      res = await fetch(`${base}/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          user: { id: user.id, name: user.name ?? user.id },
          ...(this.options.sendsLocale && locale ? { locale } : {}),
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new DirectLineUnavailable(`Direct Line unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) throw new DirectLineUnavailable(`Direct Line answered ${res.status}`);
    const parsed = generated.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new DirectLineUnavailable('Direct Line answered without a token');
    return parsed.data;
  }
}
