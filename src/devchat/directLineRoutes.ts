import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Activity, ChannelAccount } from '../bot/framework';
import { z } from 'zod';
import { ApiError } from '../http/apiError';
import { readJsonBody } from '../http/jsonBody';
import { route } from '../http/server';
import { expected, parseWith } from '../http/validate';
import type { Logger } from '../logger';
import {
  BOT_ACCOUNT,
  DEV_CHANNEL_ID,
  type DevConversation,
  type DirectLineChannel,
} from './directLineChannel';

const DL = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/?]+)\/stream(?:\?|$)/;
/** Web Chat treats an empty message as a keep-alive. */
const HEARTBEAT_MS = 20_000;

/** Ids and names as Web Chat and the connector client send them; far longer is a mistake or an attack. */
const short = (max: number) =>
  z.string(expected('must be a string')).max(max, `must be at most ${max} characters`);
const account = z
  .object({ id: short(256).optional(), name: short(256).optional() }, expected('must be an object'))
  .loose();
const tokenRequest = z
  .object({ user: account.optional() }, expected('must be a JSON object'))
  .loose()
  .optional();
/** An activity someone posts: a type, and who it is from if it says. */
const posted = z
  .object(
    { type: short(64).min(1, 'must not be empty'), from: account.optional() },
    expected('must be an activity'),
  )
  .loose();

export interface DirectLineDeps {
  channel: DirectLineChannel;
  /** Hands an activity to the bot (the adapter with the bot's logic); its replies come back over HTTP. */
  deliver: (activity: Partial<Activity>) => Promise<void>;
  /** This server's base URL: the bot's serviceUrl, so its replies come to the routes below. */
  baseUrl: () => string;
  log: Logger;
  maxBodyBytes: number;
}

/**
 * A local Direct Line 3.0 channel and the Bot Connector routes the bot replies to, so
 * Web Chat in a browser talks to the real adapter with no Azure. Mounted only on a
 * development instance (no MicrosoftAppId, loopback only).
 */
export function mountDirectLine(server: restify.Server, deps: DirectLineDeps): void {
  const { channel, log } = deps;
  const started = (c: DevConversation) => ({
    conversationId: c.id,
    token: c.token,
    expires_in: 3600,
    streamUrl: `${deps.baseUrl().replace(/^http/, 'ws')}${DL}/conversations/${c.id}/stream?t=${encodeURIComponent(c.token)}`,
  });
  const conversationOf = (req: restify.Request): DevConversation => {
    const c = channel.get(String(req.params.id));
    if (!c) throw ApiError.notFound(`conversation ${String(req.params.id)} does not exist`);
    const bearer = channel.byBearer(req.header('authorization'));
    if (bearer && bearer !== c) throw ApiError.forbidden('this token belongs to another conversation');
    return c;
  };

  server.post(
    `${DL}/tokens/generate`,
    route(log, async (req, res) => {
      const body = parseWith(tokenRequest, await readJsonBody(req, deps.maxBodyBytes), 'invalid_input');
      const user = body?.user?.id
        ? { id: String(body.user.id), name: String(body.user.name ?? body.user.id) }
        : undefined;
      const locale =
        typeof body?.locale === 'string' && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(body.locale)
          ? body.locale
          : undefined;
      res.send(200, channel.generate(user, locale));
    }),
  );
  server.post(
    `${DL}/tokens/refresh`,
    route(log, async (req, res) => {
      const c = channel.byBearer(req.header('authorization'));
      if (!c) throw ApiError.unauthorized('unknown token');
      res.send(200, { conversationId: c.id, token: c.token, expires_in: 3600 });
    }),
  );
  server.post(
    `${DL}/conversations`,
    route(log, async (req, res) => {
      // A generated token starts its own conversation; anything else (a "secret") gets a new one.
      const c =
        channel.byBearer(req.header('authorization')) ?? channel.get(channel.generate().conversationId)!;
      const first = !c.started;
      await startOnce(c);
      res.send(first ? 201 : 200, started(c));
    }),
  );
  server.get(
    `${DL}/conversations/:id`,
    route(log, async (req, res) => {
      // Web Chat resuming with a known conversation id reconnects here without starting it.
      const c = conversationOf(req);
      await startOnce(c);
      res.send(200, started(c));
    }),
  );
  server.get(
    `${DL}/conversations/:id/activities`,
    route(log, async (req, res) => {
      const c = conversationOf(req);
      res.send(200, channel.since(c, Number((req.query as { watermark?: string }).watermark ?? 0)));
    }),
  );
  server.post(
    `${DL}/conversations/:id/activities`,
    route(log, async (req, res) => {
      const c = conversationOf(req);
      const incoming = parseWith(
        posted,
        await readJsonBody(req, deps.maxBodyBytes),
        'invalid_activity',
      ) as Partial<Activity>;
      const from = { ...(c.user ?? {}), ...(incoming.from ?? {}), role: 'user' } as ChannelAccount;
      if (!from.id) throw ApiError.badRequest('from.id: say who is writing (Web Chat sends userID)');
      if (!c.user) {
        c.user = { id: from.id, name: from.name ?? from.id };
        c.locale ??= incoming.locale;
        await welcome(c, c.user);
      }
      // The echo keeps channelData.clientActivityID: Web Chat marks its message as sent by it.
      const echo = channel.append(c, {
        ...incoming,
        from,
        recipient: BOT_ACCOUNT,
        serviceUrl: deps.baseUrl(),
      });
      // Like the real service, answer once the bot has taken the activity (its replies are already streaming).
      await deps.deliver(echo).catch((err: Error) => log.error({ err: err.message }, 'bot turn failed'));
      res.send(200, { id: echo.id });
    }),
  );

  // The Bot Connector API, as the bot's ConnectorClient calls it for replies and card updates.
  const connector = (
    handler: (c: DevConversation, req: restify.Request, res: restify.Response) => Promise<void>,
  ) =>
    route(log, async (req, res) => {
      const c = channel.get(String(req.params.conversationId));
      if (!c) throw ApiError.notFound(`conversation ${String(req.params.conversationId)} does not exist`);
      await handler(c, req, res);
    });
  const botActivity = async (req: restify.Request) =>
    parseWith(posted, await readJsonBody(req, deps.maxBodyBytes), 'invalid_activity') as Partial<Activity>;
  const fromBot = async (c: DevConversation, req: restify.Request, res: restify.Response) => {
    const activity = await botActivity(req);
    const stored = channel.append(c, {
      ...activity,
      from: { ...BOT_ACCOUNT, ...(activity.from ?? {}), role: 'bot' },
    });
    res.send(200, { id: stored.id });
  };
  server.post('/v3/conversations/:conversationId/activities', connector(fromBot));
  server.post('/v3/conversations/:conversationId/activities/:activityId', connector(fromBot));
  server.put(
    '/v3/conversations/:conversationId/activities/:activityId',
    connector(async (c, req, res) => {
      const activity = await botActivity(req);
      const id = String(req.params.activityId);
      if (!channel.update(c, id, { ...activity, from: BOT_ACCOUNT }))
        throw ApiError.notFound(`activity ${id} does not exist`);
      res.send(200, { id });
    }),
  );
  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    connector(async (c, req, res) => {
      const id = String(req.params.activityId);
      if (!channel.delete(c, id)) throw ApiError.notFound(`activity ${id} does not exist`);
      res.send(200, {});
    }),
  );

  mountStream(server, deps);

  /** The first start of a conversation whose user is known: the bot sees them join (and welcomes them). */
  async function startOnce(c: DevConversation) {
    if (c.started) return;
    c.started = true;
    if (c.user) await welcome(c, c.user);
  }

  async function welcome(c: DevConversation, user: ChannelAccount) {
    await deps
      .deliver({
        type: 'conversationUpdate',
        id: `${c.id}|join`,
        channelId: DEV_CHANNEL_ID,
        serviceUrl: deps.baseUrl(),
        conversation: { id: c.id } as Activity['conversation'],
        from: { ...user, role: 'user' },
        recipient: BOT_ACCOUNT,
        membersAdded: [BOT_ACCOUNT, user],
        ...(c.locale ? { locale: c.locale } : {}),
        timestamp: new Date(),
      })
      .catch((err: Error) => log.error({ err: err.message }, 'welcome turn failed'));
  }
}

/** The WebSocket stream: every activity from the watermark on, pushed as { activities, watermark }. */
function mountStream(server: restify.Server, deps: DirectLineDeps): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxBodyBytes });
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // An 'upgrade' listener that throws takes the process down: nothing in here may.
    let found: { conversation: DevConversation; watermark: number } | undefined;
    try {
      found = streamTarget(req.url);
    } catch {
      found = undefined;
    }
    if (!found) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const { conversation, watermark } = found;
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, conversation, watermark));
  });

  /** The conversation a stream URL names with its own token; undefined for anything else, malformed escapes included. */
  function streamTarget(raw: string | undefined) {
    const m = raw?.match(STREAM_PATH);
    if (!m) return undefined;
    const conversation = deps.channel.get(decodeURIComponent(m[1]));
    const url = new URL(raw!, 'http://localhost');
    if (!conversation || url.searchParams.get('t') !== conversation.token) return undefined;
    return { conversation, watermark: Number(url.searchParams.get('watermark') ?? 0) };
  }

  function attach(ws: WebSocket, conversation: DevConversation, watermark: number) {
    const send = (activities: Partial<Activity>[], mark: number) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ activities, watermark: String(mark) }));
    };
    // What happened before this (re)connection, from the watermark the client had.
    const backlog = deps.channel.since(conversation, watermark);
    if (backlog.activities.length) send(backlog.activities, Number(backlog.watermark));
    conversation.listeners.add(send);
    const beat = setInterval(() => ws.readyState === ws.OPEN && ws.send(''), HEARTBEAT_MS);
    beat.unref();
    ws.on('close', () => {
      clearInterval(beat);
      conversation.listeners.delete(send);
    });
  }
}
