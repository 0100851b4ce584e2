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
import type { BotServices } from '../dialogs/helpers/botServices';
import { MainDialog } from '../dialogs/mainDialog';
import { welcome } from '../dialogs/welcome';
import type { UserProfile } from '../dialogs/helpers/userProfile';
import { ApplicationCards } from './cards/applicationCards';
import { CardBuilder } from './cards/cardBuilder';
import { ConversationReferenceStore } from './bot/conversationReferenceStore';
import { mountMessages } from './bot/messagesRoute';
import { OnboardingBot } from './bot/onboardingBot';
import { SqlStorage } from './bot/sqlStorage';
import { TurnGuard } from './bot/turnGuard';
import { BotStateStore } from './bot/botStateStore';
import { LanguagePreference, turnLanguage } from './bot/turnLanguage';
import { Catalogue } from './i18n/catalogue';
import { DateFormatter } from './dates';
import { createFaqService } from './faq/createFaqService';
import { HttpWorkflowClient } from './workflow/httpWorkflowClient';
import { InProcessWorkflowClient } from './workflow/inProcessWorkflowClient';
import type { WorkflowClient } from './workflow/workflowClient';
import { Kv } from './kv';
import { mountReadiness } from './http/readiness';
import { sql } from 'kysely';
import { DeliveryLog } from './notify/deliveryLog';
import { DEFAULT_NOTIFIER_OPTIONS, Notifier } from './notify/notifier';
import { EventClaims } from './notify/eventClaims';
import { mountNotify } from './notify/notifyRoute';
import { DEFAULT_DISPATCHER_OPTIONS, DELIVERY_TIMEOUT_MS, OutboxDispatcher } from './notify/outboxDispatcher';
import { EventIntake } from './notify/eventIntake';
import { inProcessTransport, webhookTransport } from './notify/eventTransport';
import { DEFAULT_SENDER_OPTIONS, ProactiveSender } from './notify/proactiveSender';
import { ReminderScheduler } from './notify/reminderScheduler';
import { SupportHandover } from './notify/supportHandover';
import { CardCopies } from './bot/cardCopies';
import { PeopleDirectory } from './bot/peopleDirectory';
import { WelcomeLog } from './bot/welcomeLog';
import { FaqLog } from './faq/faqLog';
import type { Activity } from './bot/framework';
import { DirectLineChannel } from './devchat/directLineChannel';
import { mountDirectLine } from './devchat/directLineRoutes';
import { mountDevChatPage } from './devchat/devChatPage';
import { devPersonas, withDevPersonas } from './devchat/personas';
import { ContactPreferences } from './notify/contactPreferences';
import { EmailChannel } from './notify/emailChannel';
import { EmailDeliveries } from './notify/emailDeliveries';
import { EmailComposer } from './mail/emailComposer';
import { KeptMail } from './mail/keptMail';
import type { Mailer } from './mail/mailer';
import { SmtpMailer } from './mail/smtpMailer';
import { WebChatIdentityCheck } from './bot/webChatIdentity';
import { mountChatPage } from './webchat/chatPage';
import { DirectLineTokens } from './webchat/directLineTokens';
import { SigninCodes } from './webchat/signinCodes';
import { mountSignin } from './webchat/signinRoutes';
import { WebChatIdentities } from './webchat/webChatIdentities';

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
  /** The e-mail channel's parts: none when e-mail is off (production without SMTP_URL). */
  mail?: { mailer: Mailer; channel: EmailChannel; deliveries: EmailDeliveries; composer: EmailComposer };
  preferences: ContactPreferences;
}

export interface AppDeps {
  log: Logger;
  clock?: Clock;
}

/** The whole product in one process: workflow API, bot, notification dispatcher, dev chat. */
export class App {
  private ready = false;
  /** Set once by create(). */
  bot!: BotParts;
  notify!: NotifyParts;
  private kv?: Kv;
  private mailer?: Mailer;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: Config,
    readonly server: restify.Server,
    readonly store: Store,
    readonly workflow: WorkflowService,
    readonly log: Logger,
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

    // One WorkflowClient interface (DESIGN.md): the service itself when it runs here, HTTP to WORKFLOW_URL otherwise.
    const client: WorkflowClient = config.workflow.selfHosted
      ? new InProcessWorkflowClient(workflow, deps.log)
      : new HttpWorkflowClient({
          baseUrl: config.workflow.url,
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
    const catalogue = new Catalogue(new DateFormatter(config.calendar.timeZone));
    const cards = new ApplicationCards(new CardBuilder(), roles);
    const state = new BotStateStore(new SqlStorage(store, clock));
    const languages = new LanguagePreference(state);
    const adapter = createAdapter(
      config,
      deps.log,
      (ctx) => state.clear(ctx, 'conversation'),
      (ctx) => catalogue.in(turnLanguage(ctx)).t('adapter.apology'),
    );
    const references = new ConversationReferenceStore(store, clock);
    // E-mail (SMTP_URL); a development instance without it keeps what it would send, for the dev chat page.
    const mailer: Mailer | undefined = config.mail.smtpUrl
      ? new SmtpMailer({
          url: config.mail.smtpUrl,
          from: config.mail.from,
          timeoutMs: config.mail.timeoutMs,
          log: deps.log,
        })
      : config.mail.keep
        ? new KeptMail(config.mail.from)
        : undefined;
    app.mailer = mailer;
    const preferences = new ContactPreferences(store);
    const emailDeliveries = new EmailDeliveries(store, clock);
    const composer = new EmailComposer(catalogue, config.mail.chatUrl);
    const email = mailer
      ? new EmailChannel({
          mailer,
          composer,
          deliveries: emailDeliveries,
          preferences,
          languages,
          references,
          roles,
          staff: config.mail.staff,
          maxAttempts: config.mail.maxAttempts,
          log: deps.log,
        })
      : undefined;
    const sender = new ProactiveSender(
      adapter,
      references,
      { ...DEFAULT_SENDER_OPTIONS, appId: config.bot.appId ?? '' },
      deps.log,
    );
    const people = new PeopleDirectory(store, roles);
    const copies = new CardCopies(store);
    const profile = state.property<UserProfile>('user', 'profile');
    const services: BotServices = {
      workflow: client,
      faq,
      cards,
      roles,
      catalogue,
      languages,
      log: deps.log,
      handover: new SupportHandover({
        store,
        sender,
        roles,
        cards: cards.builder,
        catalogue,
        languages,
        workflow: client,
        people,
        copies,
        questions: new FaqLog(store.db, clock),
        clock,
      }),
      people,
      copies,
      profile,
      contact: {
        preferences,
        emailOn: Boolean(mailer),
        problems: (id) => emailDeliveries.problems(id),
      },
    };
    const guard = new TurnGuard(
      kv.counter('turn-rate'),
      {
        allowedTenantIds: config.bot.allowedTenantIds,
        limit: config.bot.turnRateLimit,
        windowSeconds: config.bot.turnRateWindowSeconds,
      },
      deps.log,
    );
    // Web Chat identities come from a sign-in (a proven e-mail); in production nothing else is taken.
    const identities = new WebChatIdentities(store, config.mail.staff);
    // The root dialog is built here and handed in, as core-bot's index.ts does.
    const bot = new OnboardingBot({
      rootDialog: new MainDialog(services, profile),
      welcome: (ctx) => welcome(services, ctx),
      state,
      welcomes: new WelcomeLog(store),
      references,
      roles,
      log: deps.log,
      guard,
      catalogue,
      languages,
      identity: config.devMode ? undefined : new WebChatIdentityCheck(identities),
      signInUrl: config.mail.chatUrl,
    });
    mountMessages(server, { adapter, bot, log: deps.log, maxBodyBytes: config.maxBodyBytes });
    app.bot = { services, adapter, handler: bot, references };

    const deliveries = new DeliveryLog(store, clock);
    const notifier = new Notifier({
      workflow: client,
      cards,
      catalogue,
      languages,
      roles,
      sender,
      deliveries,
      events: new EventClaims(store, clock),
      options: { ...DEFAULT_NOTIFIER_OPTIONS, leaseMs: config.notify.leaseMs },
      people,
      copies,
      // A partner told of a change in a notification has heard of it: "since we last spoke" starts after it.
      onPartnerTold: async (ctx, app) => {
        const seen = await profile.get(ctx, {});
        await profile.set(ctx, { ...seen, lastSeen: { applicationId: app.id, version: app.version } });
        await state.save(ctx, (scope) =>
          deps.log.warn({ state: scope }, 'profile changed concurrently; kept the other save'),
        );
      },
      email,
      preferences,
    });
    const intake = new EventIntake({ notifier, seen: kv.namespace<boolean>('notify-seen'), log: deps.log });
    // The signed webhook stays for a dispatcher in another process (NOTIFY_DISPATCH=off here).
    mountNotify(server, {
      intake,
      secrets: [config.notifySecret, ...(config.notify.previousSecret ? [config.notify.previousSecret] : [])],
      log: deps.log,
      maxBodyBytes: config.maxBodyBytes,
    });
    const dispatcher = new OutboxDispatcher(
      store,
      {
        ...DEFAULT_DISPATCHER_OPTIONS,
        // This process's dispatcher hands events to this process's bot directly, unless NOTIFY_URL says otherwise.
        transport: config.notify.url
          ? webhookTransport({
              url: config.notify.url,
              secret: config.notifySecret,
              timeoutMs: DELIVERY_TIMEOUT_MS,
            })
          : inProcessTransport(intake, DELIVERY_TIMEOUT_MS),
        pollMs: config.notify.pollMs,
        leaseMs: config.notify.leaseMs,
      },
      clock,
      deps.log,
    );
    const reminders = new ReminderScheduler(
      { workflow: client, sender, store, roles, catalogue, languages, clock, log: deps.log, email },
      { intervalMs: config.notify.reminderIntervalMs, hoursBefore: config.notify.reminderHoursBefore },
    );
    app.notify = {
      dispatcher,
      notifier,
      reminders,
      deliveries,
      preferences,
      mail: mailer && email ? { mailer, channel: email, deliveries: emailDeliveries, composer } : undefined,
    };

    // Web Chat sign-in (/chat): a one-time code to the contact e-mail, then a Direct Line token
    // bound to the user; Azure's Direct Line in production, the dev channel on a development instance.
    if (config.webChat.enabled && mailer) {
      const directLineUrl = () => config.webChat.directLineUrl ?? `${app.url}/v3/directline`;
      const codes = new SigninCodes(store, clock);
      mountSignin(server, {
        codes,
        identities,
        tokens: new DirectLineTokens({
          url: directLineUrl,
          secret: config.webChat.directLineSecret,
          sendsLocale: config.devMode,
        }),
        mailer,
        composer,
        counters: kv.counter('signin-client'),
        directLineUrl,
        log: deps.log,
        maxBodyBytes: config.maxBodyBytes,
      });
      mountChatPage(server, {
        catalogue,
        directLineUrl,
        scriptUrl: config.webChat.scriptUrl,
        codeMinutes: codes.ttlMinutes,
        log: deps.log,
      });
    }

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
      mountDevChatPage(server, {
        personas: devPersonas(roleLists),
        catalogue,
        log: deps.log,
        kept: mailer instanceof KeptMail ? mailer : undefined,
      });
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
      await Promise.all([this.store.close(), this.kv?.close(), this.mailer?.close()]);
      this.log.info('stopped');
    })();
    return this.stopping;
  }
}
