import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import type { Config } from './config';
import { openStore, type Store } from './db/database';
import { createHttpServer } from './http/server';
import type { Logger } from './logger';
import { RoleDirectory } from './roles';
import { WorkingCalendar } from './workflow/workingCalendar';
import { WorkflowService } from './workflow/workflowService';
import { mountWorkflowApi } from './workflow/workflowApi';
import { systemClock, type Clock } from './clock';
import { createAdapter, type BotAdapter } from './bot/botAdapter';
import type { BotServices } from './bot/botServices';
import { CardBuilder } from './bot/cards/cardFactory';
import { ConversationReferenceStore } from './bot/conversationReferenceStore';
import { mountMessages } from './bot/messagesRoute';
import { OnboardingBot } from './bot/onboardingBot';
import { SqlStorage } from './bot/sqlStorage';
import { TurnGuard } from './bot/turnGuard';
import { EtagConversationState } from './bot/etagConversationState';
import { EtagUserState } from './bot/etagUserState';
import { DateFormatter } from './bot/statusText';
import { createFaqService } from './faq/createFaqService';
import { WorkflowClient } from './workflow/workflowClient';
import { Kv } from './kv';
import { mountReadiness } from './http/readiness';
import { sql } from 'kysely';
import { DeliveryLog } from './notify/deliveryLog';
import { DEFAULT_NOTIFIER_OPTIONS, Notifier } from './notify/notifier';
import { EventClaims } from './notify/eventClaims';
import { mountNotify } from './notify/notifyRoute';
import { DEFAULT_DISPATCHER_OPTIONS, OutboxDispatcher } from './notify/outboxDispatcher';
import { DEFAULT_SENDER_OPTIONS, ProactiveSender } from './notify/proactiveSender';
import { ReminderScheduler } from './notify/reminderScheduler';
import { SupportHandover } from './notify/supportHandover';
import type { Activity } from 'botbuilder';
import { DirectLineChannel } from './devchat/directLineChannel';
import { mountDirectLine } from './devchat/directLineRoutes';
import { mountDevChatPage } from './devchat/devChatPage';
import { devPersonas, withDevPersonas } from './devchat/personas';

/** The bot's parts, for the notifier and for tests that drive dialogs directly. */
export interface BotParts {
  services: BotServices;
  adapter: BotAdapter;
  handler: OnboardingBot;
  references: ConversationReferenceStore;
}

/** Notifications: the outbox dispatcher, the webhook's notifier and the deadline reminders. */
export interface NotifyParts {
  dispatcher: OutboxDispatcher;
  notifier: Notifier;
  reminders: ReminderScheduler;
  deliveries: DeliveryLog;
}

export interface AppDeps {
  log: Logger;
  clock?: Clock;
}

/** The whole product in one process: workflow API and (later) bot, dispatcher, dev chat. */
export class App {
  private ready = false;
  /** Set once by create(). */
  bot!: BotParts;
  notify!: NotifyParts;
  private kv?: Kv;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: Config,
    readonly server: restify.Server,
    readonly store: Store,
    readonly workflow: WorkflowService,
    private readonly log: Logger,
  ) {}

  static async create(config: Config, deps: AppDeps): Promise<App> {
    const clock = deps.clock ?? systemClock;
    const store = await openStore(config.databaseUrl);
    const server = createHttpServer(deps.log);
    // A development instance adds the dev chat's BD and support personas where none are configured.
    const roleLists = config.devMode ? withDevPersonas(config.roles) : config.roles;
    const roles = new RoleDirectory(roleLists);
    const calendar = new WorkingCalendar(config.calendar);
    const uncovered = calendar.uncoveredYears(clock());
    if (uncovered.length) {
      deps.log.warn(
        {
          setting: 'HOLIDAY_COUNTRY',
          country: config.calendar.country,
          years: uncovered,
          source: calendar.holidaySource,
        },
        'holiday schedule not published in this version for these years: deadlines there skip only fixed holidays; update chinese-days or set EXTRA_HOLIDAYS / EXTRA_WORKING_DAYS',
      );
    }
    const workflow = new WorkflowService(store, roles, calendar, clock, {
      invitationTtlHours: config.invitationTtlHours,
    });
    const app = new App(config, server, store, workflow, deps.log);

    server.get('/healthz', (_req, res, next) => {
      res.send(app.ready ? 200 : 503, { status: app.ready ? 'ok' : 'starting' });
      next();
    });
    // Keyv (Redis at scale) for TTL data; every call bounded, outages logged once (src/kv.ts).
    const kv = new Kv({ url: config.keyvUrl, timeoutMs: config.keyvTimeoutMs, log: deps.log });
    app.kv = kv;
    mountReadiness(server, {
      started: () => app.ready,
      checks: {
        sql: async () => void (await sql`select 1`.execute(store.db)),
        keyv: () => kv.check(),
      },
    });
    mountWorkflowApi(server, {
      service: workflow,
      log: deps.log,
      apiToken: config.workflow.apiToken,
      maxBodyBytes: config.maxBodyBytes,
    });

    // The bot reaches the workflow only over HTTP, even in one process (DESIGN.md).
    const client = new WorkflowClient({
      baseUrl: config.workflow.selfHosted ? () => `${app.url}/workflow/v1` : config.workflow.url,
      apiToken: config.workflow.apiToken,
      timeoutMs: config.workflow.timeoutMs,
    });
    const faq = await createFaqService({
      openai: config.openai,
      cache: kv.namespace('faq-answers'),
      db: store.db,
      logger: deps.log,
      timeZone: config.calendar.timeZone,
    });
    const services: BotServices = {
      workflow: client,
      faq,
      cards: new CardBuilder(),
      roles,
      dates: new DateFormatter(config.calendar.timeZone),
      log: deps.log,
    };
    const botStorage = new SqlStorage(store);
    const conversationState = new EtagConversationState(botStorage);
    const userState = new EtagUserState(botStorage);
    const adapter = createAdapter(config, deps.log, conversationState);
    const references = new ConversationReferenceStore(store);
    const guard = new TurnGuard(
      kv.counter('turn-rate'),
      {
        allowedTenantIds: config.bot.allowedTenantIds,
        limit: config.bot.turnRateLimit,
        windowSeconds: config.bot.turnRateWindowSeconds,
      },
      deps.log,
    );
    const bot = new OnboardingBot({ services, conversationState, userState, references, guard });
    mountMessages(server, { adapter, bot, log: deps.log, maxBodyBytes: config.maxBodyBytes });
    app.bot = { services, adapter, handler: bot, references };

    const sender = new ProactiveSender(
      adapter,
      references,
      { ...DEFAULT_SENDER_OPTIONS, appId: config.bot.appId ?? '' },
      deps.log,
    );
    services.handover = new SupportHandover(store, sender, roles);
    const deliveries = new DeliveryLog(store);
    const notifier = new Notifier(services, sender, deliveries, new EventClaims(store), {
      ...DEFAULT_NOTIFIER_OPTIONS,
      leaseMs: config.notify.leaseMs,
    });
    mountNotify(server, {
      notifier,
      secrets: [config.notifySecret, ...(config.notify.previousSecret ? [config.notify.previousSecret] : [])],
      seen: kv.namespace<boolean>('notify-seen'),
      log: deps.log,
      maxBodyBytes: config.maxBodyBytes,
    });
    const dispatcher = new OutboxDispatcher(
      store,
      {
        ...DEFAULT_DISPATCHER_OPTIONS,
        url: config.notify.url ?? (() => `${app.url}/api/notify`),
        secret: config.notifySecret,
        pollMs: config.notify.pollMs,
        leaseMs: config.notify.leaseMs,
      },
      clock,
      deps.log,
    );
    const reminders = new ReminderScheduler(
      { workflow: client, sender, store, roles, dates: services.dates, clock, log: deps.log },
      { intervalMs: config.notify.reminderIntervalMs, hoursBefore: config.notify.reminderHoursBefore },
    );
    app.notify = { dispatcher, notifier, reminders, deliveries };

    // The local Web Chat: only without MicrosoftAppId, which also means loopback only (config.ts).
    if (config.devMode) {
      mountDirectLine(server, {
        channel: new DirectLineChannel(),
        deliver: async (activity) => {
          await adapter.handle('', activity as Activity, (ctx) => bot.run(ctx));
        },
        baseUrl: () => app.url,
        log: deps.log,
        maxBodyBytes: config.maxBodyBytes,
      });
      mountDevChatPage(server, { personas: devPersonas(roleLists), log: deps.log });
    }
    return app;
  }

  /** Base URL the server answers on, once listening. */
  get url(): string {
    const addr = this.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.ready = true;
    if (this.config.notify.dispatch) this.notify.dispatcher.start();
    this.notify.reminders.start();
  }

  /** Stop taking requests, let in-flight ones finish, then close the store. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ready = false;
      await Promise.all([this.notify.dispatcher.stop(), this.notify.reminders.stop()]);
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open forever.
        (this.server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await Promise.all([this.store.close(), this.kv?.close()]);
      this.log.info('stopped');
    })();
    return this.stopping;
  }
}
