import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  conversationId: string;
  method: string;
  activity: any;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * A local stand-in for the Bot Connector service the bot replies to: it speaks the
 * REST routes the real one does (send, reply, update) and records what arrives.
 */
export class ConnectorStub {
  readonly received: Recorded[] = [];
  /** Conversations the bot created (POST /v3/conversations) and the parameters it sent. */
  readonly created: { id: string; params: any }[] = [];
  /** Every request, accepted or refused: how often the bot tried. */
  readonly attempts: { conversationId: string; method: string; status: number }[] = [];
  private faults = new Map<string, { status: number; retryAfter?: number; times: number }>();
  /** Every answer waits this long, as a distant channel does: concurrent work then overlaps. */
  latencyMs = 0;
  private server = http.createServer((req, res) => this.handle(req, res));
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `times` requests to this conversation are refused with `status` (429 with Retry-After, 403...). */
  failNext(conversationId: string, status: number, times = 1, retryAfter?: number): void {
    this.faults.set(conversationId, { status, times, retryAfter });
  }

  for(conversationId: string): Recorded[] {
    return this.received.filter((r) => r.conversationId === conversationId);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (this.latencyMs > 0) setTimeout(() => this.answer(req, res, body), this.latencyMs);
      else this.answer(req, res, body);
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    if (req.method === 'POST' && req.url?.replace(/\?.*$/, '') === '/v3/conversations') {
      // createConversation: a new personal chat with the member asked for.
      const params = body ? JSON.parse(body) : {};
      const id = `created-${++this.counter}`;
      this.created.push({ id, params });
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id }));
      return;
    }
    const m = req.url?.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/);
    if (!m) {
      // Separate calls: restify patches ServerResponse and its writeHead does not return `this`.
      res.statusCode = 404;
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(m[1]);
    const fault = this.faults.get(conversationId);
    if (fault && fault.times > 0) {
      fault.times--;
      this.attempts.push({ conversationId, method: req.method ?? '', status: fault.status });
      res.statusCode = fault.status;
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'Fault', message: `stub answered ${fault.status}` } }));
      return;
    }
    this.attempts.push({ conversationId, method: req.method ?? '', status: 200 });
    const activity = body ? JSON.parse(body) : {};
    const id = req.method === 'PUT' ? decodeURIComponent(m[2]) : `stub-${++this.counter}`;
    this.received.push({
      conversationId: decodeURIComponent(m[1]),
      method: req.method ?? '',
      activity: { ...activity, id },
      at: Date.now(),
    });
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id }));
  }
}

export const TEAMS_TENANT = 'tenant-contoso';

/** One person's conversation with the bot over HTTP, as a channel would carry it. */
export class ChatUser {
  private seq = 0;
  /** The client's locale (Teams and Web Chat send one with every activity); none when unset. */
  locale?: string;
  constructor(
    private readonly botUrl: string,
    private readonly stub: ConnectorStub,
    readonly userId: string,
    readonly conversationId = `conv-${userId}`,
    private readonly channelId = 'webchat',
  ) {}

  /** The channel's conversationUpdate when the user opens the chat; returns the welcome. */
  async join(): Promise<any[]> {
    return this.post({
      type: 'conversationUpdate',
      membersAdded: [
        { id: this.userId, name: this.userId },
        { id: 'bot', name: 'bot' },
      ],
    });
  }

  /** Sends a message (text or card data) and returns the bot's replies to it. */
  async say(textOrValue: string | Record<string, unknown>, replyToId?: string): Promise<any[]> {
    return this.post({
      type: 'message',
      ...(typeof textOrValue === 'string' ? { text: textOrValue } : { value: textOrValue }),
      ...(replyToId ? { replyToId } : {}),
    });
  }

  private async post(fields: Record<string, unknown>): Promise<any[]> {
    const before = this.stub.for(this.conversationId).length;
    const activity = {
      id: `${this.userId}-${++this.seq}`,
      channelId: this.channelId,
      serviceUrl: this.stub.url,
      ...(this.channelId === 'msteams'
        ? {
            // Teams: a 29: channel id plus the AAD object id (the stable id), and the tenant.
            from: { id: `29:${this.userId}`, aadObjectId: this.userId, name: this.userId },
            conversation: { id: this.conversationId, tenantId: TEAMS_TENANT, conversationType: 'personal' },
            channelData: { tenant: { id: TEAMS_TENANT } },
          }
        : { from: { id: this.userId, name: this.userId }, conversation: { id: this.conversationId } }),
      recipient: { id: 'bot', name: 'bot' },
      timestamp: new Date().toISOString(),
      ...(this.locale ? { locale: this.locale } : {}),
      ...fields,
    };
    const res = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (res.status >= 300) throw new Error(`bot answered ${res.status}: ${await res.text()}`);
    return this.stub
      .for(this.conversationId)
      .slice(before)
      .map((r) => r.activity);
  }
}

/** Text of the replies, joined: what the person reads. */
export function textOf(replies: any[]): string {
  return replies
    .map((r) =>
      [r.text ?? '', ...(r.attachments ?? []).map((a: any) => JSON.stringify(a.content))].join('\n'),
    )
    .join('\n');
}

/** The card data of the first button in the replies whose data matches. */
export function findButton(
  replies: any[],
  match: (data: any) => boolean,
): { data: any; cardId: string } | undefined {
  for (const r of replies) {
    for (const a of r.attachments ?? []) {
      const stack = [...(a.content?.actions ?? [])];
      while (stack.length) {
        const action = stack.shift();
        if (action.data && match(action.data)) return { data: action.data, cardId: r.id };
        if (action.card?.actions) stack.push(...action.card.actions);
      }
    }
  }
  return undefined;
}
