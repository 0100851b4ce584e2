import { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Clock } from '../../src/clock';
import { tempSqlite, type TestDatabase } from './databases';

export const TOKEN = 'test-workflow-token';
export const BD = 'bd-alice';
export const BD2 = 'bd-bob';
export const SUPPORT = 'support-sam';
export const ADMIN = 'admin-ann';

export interface TestApp {
  app: App;
  url: string;
  db: TestDatabase;
  stop(): Promise<void>;
}

/** The real product on an ephemeral loopback port with its own database. */
export async function startTestApp(
  opts: {
    db?: TestDatabase;
    env?: Record<string, string>;
    clock?: Clock;
    /** Where the logs go (a test that reads them); stdout otherwise. */
    logDestination?: { write(line: string): void };
  } = {},
): Promise<TestApp> {
  const db = opts.db ?? tempSqlite();
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: `${BD},${BD2}`,
    SUPPORT_USER_IDS: SUPPORT,
    ADMIN_USER_IDS: ADMIN,
    ...opts.env,
  });
  const app = await App.create(config, {
    log: createLogger(config.logLevel, opts.logDestination),
    clock: opts.clock,
  });
  await app.listen();
  return {
    app,
    url: app.url,
    db,
    stop: async () => {
      await app.stop();
      if (!opts.db) await db.drop();
    },
  };
}

/** Raw HTTP to the workflow API, for asserting status codes and bodies exactly. */
export function workflowHttp(baseUrl: string, token = TOKEN) {
  return async function call(
    method: string,
    path: string,
    actor: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${baseUrl}/workflow/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(actor ? { 'x-acting-user': actor } : {}),
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

/** The app id the production-mode tests run under (tokens are minted for it). */
export const PRODUCTION_APP_ID = '11111111-2222-3333-4444-555555555555';

/**
 * The product as production runs it (an app id, long secrets, loopback only), trusting Bot
 * Framework tokens signed by a local OpenID/JWKS server at `openIdMetadataUrl`.
 */
export function startProductionApp(
  openIdMetadataUrl: string,
  env: Record<string, string> = {},
): Promise<TestApp> {
  return startTestApp({
    env: {
      MicrosoftAppId: PRODUCTION_APP_ID,
      MicrosoftAppPassword: 'not-used-inbound',
      MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
      HOST: '127.0.0.1',
      WORKFLOW_API_TOKEN: 'w'.repeat(40),
      NOTIFY_SECRET: 'n'.repeat(40),
      BOT_OPENID_METADATA_URL: openIdMetadataUrl,
      ...env,
    },
  });
}

let uidCounter = 0;
/** Distinct valid 16-digit UIDs per call, so tests never collide. */
export function uid(): string {
  uidCounter++;
  return String(5_000_000_000_000_000 + Date.now() * 100 + uidCounter).slice(0, 16);
}
