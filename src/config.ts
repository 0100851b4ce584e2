import { z } from 'zod';
import { DEFAULT_BUSINESS_TIMEZONE } from './dates';

/**
 * Every setting the product reads, validated once at start-up.
 * An empty variable counts as unset (DESIGN.md), so `FOO=` falls back to the default.
 */

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const isoDates = csv.refine((days) => days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)), {
  message: 'expected comma-separated dates as YYYY-MM-DD',
});

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const APP_TYPES = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'] as const;

/**
 * Other names accepted for a setting, mapped before validation: those the Microsoft 365
 * Agents Toolkit's bot templates inject (BOT_ID, BOT_PASSWORD or SECRET_BOT_PASSWORD,
 * BOT_TYPE, BOT_TENANT_ID). The Bot Framework names stay the documented ones.
 */
export const ENV_ALIASES: Readonly<Record<string, readonly string[]>> = {
  MicrosoftAppId: ['BOT_ID'],
  MicrosoftAppPassword: ['BOT_PASSWORD', 'SECRET_BOT_PASSWORD'],
  MicrosoftAppType: ['BOT_TYPE'],
  MicrosoftAppTenantId: ['BOT_TENANT_ID'],
};

const envSchema = z
  .object({
    PORT: int(3978, 0, 65535),
    HOST: z.string().optional(),
    DATABASE_URL: z
      .string()
      .default('sqlite:data/onboarding.db')
      .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
        message: 'expected sqlite:<path> or postgres://user@host:port/db',
      }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MicrosoftAppId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    // New multi-tenant Azure bots cannot be created since July 2025: single tenant is the default.
    MicrosoftAppType: z.enum(APP_TYPES).default('SingleTenant'),
    MicrosoftAppTenantId: z.string().optional(),
    BOT_OPENID_METADATA_URL: z.url().optional(),
    BOT_TOKEN_ISSUER: z.string().optional(),
    ALLOWED_TENANT_IDS: csv,
    TURN_RATE_LIMIT: int(30, 1, 10000),
    TURN_RATE_WINDOW_SECONDS: int(60, 1, 3600),

    WORKFLOW_URL: z.url().optional(),
    WORKFLOW_API_TOKEN: z.string().optional(),
    WORKFLOW_TIMEOUT_MS: int(5000, 100, 120000),
    MAX_BODY_BYTES: int(65536, 1024, 10 * 1024 * 1024),

    NOTIFY_SECRET: z.string().optional(),
    NOTIFY_SECRET_PREVIOUS: z.string().optional(),
    NOTIFY_URL: z.url().optional(),
    NOTIFY_DISPATCH: z.enum(['on', 'off']).default('on'),
    NOTIFY_POLL_MS: int(200, 10, 60000),
    NOTIFY_LEASE_MS: int(30000, 500, 3600000),
    REMINDER_INTERVAL_MS: int(60000, 50, 3600000),
    REMINDER_HOURS_BEFORE: int(24, 1, 240),

    BD_USER_IDS: csv,
    SUPPORT_USER_IDS: csv,
    ADMIN_USER_IDS: csv,

    HOLIDAY_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as CN or SG')
      .default('CN'),
    HOLIDAY_REGION: z.string().optional(),
    BUSINESS_TIMEZONE: z
      .string()
      .default(DEFAULT_BUSINESS_TIMEZONE)
      .refine(isTimeZone, { message: 'expected an IANA time zone such as Asia/Shanghai' }),
    EXTRA_HOLIDAYS: isoDates,
    EXTRA_WORKING_DAYS: isoDates,
    INVITATION_TTL_HOURS: int(336, 1, 24 * 365),

    KEYV_URL: z.string().optional(),
    KEYV_TIMEOUT_MS: int(500, 10, 10000),

    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: int(8000, 100, 120000),
  })
  .superRefine((env, ctx) => {
    const production = Boolean(env.MicrosoftAppId);
    if (production) {
      if (!env.MicrosoftAppPassword && env.MicrosoftAppType !== 'UserAssignedMSI') {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppPassword'],
          message: 'required when MicrosoftAppId is set',
        });
      }
      if (env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppTenantId'],
          message: `required for a ${env.MicrosoftAppType} bot (MicrosoftAppType, default SingleTenant): the id of the Entra tenant the bot's app is registered in`,
        });
      }
      for (const name of ['WORKFLOW_API_TOKEN', 'NOTIFY_SECRET'] as const) {
        if (!env[name] || env[name].length < 32) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required in production (MicrosoftAppId set): at least 32 random characters',
          });
        }
      }
    } else if (env.HOST && !LOOPBACK.has(env.HOST)) {
      // A development instance has no Bot Framework authentication: never expose it.
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: 'a development instance (no MicrosoftAppId) listens on loopback only: use 127.0.0.1 or ::1',
      });
    }
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The product's settings: the shape the mapping below gives them, derived rather than written twice. */
export type Config = ReturnType<typeof toConfig>;

export class ConfigError extends Error {}

/** Every variable loadConfig reads, aliases included (.env.example lists them all). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(envSchema.shape),
  ...Object.values(ENV_ALIASES).flat(),
];

/**
 * Applies ENV_ALIASES: an alias fills its setting; the same setting given twice with
 * different values is an error rather than a silent pick. MicrosoftAppType is matched
 * case-insensitively, as botbuilder does (the Toolkit writes UserAssignedMsi).
 */
function resolveAliases(raw: Record<string, string>): string[] {
  const conflicts: string[] = [];
  for (const [name, aliases] of Object.entries(ENV_ALIASES)) {
    const given = [name, ...aliases].filter((n) => raw[n] !== undefined);
    const values = new Set(given.map((n) => raw[n]));
    if (values.size > 1) conflicts.push(`  ${given.join(', ')}: set to different values; keep one`);
    else if (given.length) raw[name] = raw[given[0]];
  }
  const type = raw.MicrosoftAppType;
  if (type) raw.MicrosoftAppType = APP_TYPES.find((t) => t.toLowerCase() === type.toLowerCase()) ?? type;
  return conflicts;
}

/** Development defaults for secrets: only ever used on a loopback-bound instance. */
const DEV_WORKFLOW_TOKEN = 'dev-workflow-token';
const DEV_NOTIFY_SECRET = 'dev-notify-secret';

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v.trim() !== '') raw[k] = v.trim();
  const conflicts = resolveAliases(raw);

  const parsed = envSchema.safeParse(raw);
  if (!parsed.success || conflicts.length) {
    const lines = (parsed.error?.issues ?? []).map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${[...conflicts, ...lines].join('\n')}`);
  }
  return toConfig(parsed.data);
}

/** Settings by what they are for, from the validated variables (the only mapping there is). */
function toConfig(env: z.output<typeof envSchema>) {
  const devMode = !env.MicrosoftAppId;
  const host = env.HOST ?? (devMode ? '127.0.0.1' : '0.0.0.0');
  const localHost = host.includes(':')
    ? `[${host === '::' ? '::1' : host}]`
    : host === '0.0.0.0'
      ? '127.0.0.1'
      : host;
  return {
    port: env.PORT,
    host,
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    /** No MicrosoftAppId: a local development instance (dev chat, loopback only). */
    devMode,
    bot: {
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      // Without an app id the adapter runs anonymously, which botbuilder only accepts as
      // its MultiTenant type (SingleTenant without an app id throws at start-up).
      appType: devMode ? 'MultiTenant' : (env.MicrosoftAppType as string),
      tenantId: env.MicrosoftAppTenantId,
      /** Where the channel's signing keys are published (sovereign or private clouds; tests). */
      openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
      tokenIssuer: env.BOT_TOKEN_ISSUER,
      /** Teams tenants whose users may use the bot; empty means any. */
      allowedTenantIds: env.ALLOWED_TENANT_IDS,
      /** Turns per user per window before the bot asks them to slow down. */
      turnRateLimit: env.TURN_RATE_LIMIT,
      turnRateWindowSeconds: env.TURN_RATE_WINDOW_SECONDS,
    },
    workflow: {
      url: (env.WORKFLOW_URL ?? `http://${localHost}:${env.PORT}/workflow/v1`).replace(/\/+$/, ''),
      apiToken: env.WORKFLOW_API_TOKEN ?? DEV_WORKFLOW_TOKEN,
      timeoutMs: env.WORKFLOW_TIMEOUT_MS,
      selfHosted: !env.WORKFLOW_URL,
    },
    maxBodyBytes: env.MAX_BODY_BYTES,
    notifySecret: env.NOTIFY_SECRET ?? DEV_NOTIFY_SECRET,
    notify: {
      /** Previous secret still accepted while the dispatchers move to the new one. */
      previousSecret: env.NOTIFY_SECRET_PREVIOUS,
      url: env.NOTIFY_URL,
      dispatch: env.NOTIFY_DISPATCH === 'on',
      pollMs: env.NOTIFY_POLL_MS,
      leaseMs: env.NOTIFY_LEASE_MS,
      reminderIntervalMs: env.REMINDER_INTERVAL_MS,
      reminderHoursBefore: env.REMINDER_HOURS_BEFORE,
    },
    roles: { bd: env.BD_USER_IDS, support: env.SUPPORT_USER_IDS, admin: env.ADMIN_USER_IDS },
    calendar: {
      country: env.HOLIDAY_COUNTRY,
      region: env.HOLIDAY_REGION,
      timeZone: env.BUSINESS_TIMEZONE,
      extraHolidays: env.EXTRA_HOLIDAYS,
      extraWorkingDays: env.EXTRA_WORKING_DAYS,
    },
    invitationTtlHours: env.INVITATION_TTL_HOURS,
    keyvUrl: env.KEYV_URL,
    keyvTimeoutMs: env.KEYV_TIMEOUT_MS,
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
    },
  };
}
