import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Pool as PgPool } from 'pg';
import { migrations } from './migrations';
import type { Database, DialectName } from './schema';

export type { DialectName };

/** The one SQL store: a Kysely handle plus what differs between the two engines. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

/** A Postgres that does not answer within this at start-up (or on a new connection) is reported, not waited for. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens `sqlite:<path>` (WAL) or `postgres://…` and runs the migrations. Any failure is
 * reported naming DATABASE_URL and where it points (never its password): a wrong port
 * used to hang start-up silently.
 */
export async function openStore(url: string): Promise<Store> {
  let store: Store | undefined;
  try {
    store = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
    await migrate(store);
    return store;
  } catch (err) {
    await store?.close().catch(() => undefined);
    throw new Error(
      `DATABASE_URL (${describeUrl(url)}): cannot open the database: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Where a database URL points, without its credentials. */
export function describeUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a killed process (the WAL is in the OS cache); only power loss can drop the tail.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares every query anew, which was the largest single cost of a
 * bot turn (profiled). The same few SQL texts repeat, and better-sqlite3 statements are
 * reusable, so keep the prepared ones (bounded, oldest dropped first).
 */
function withStatementCache(sqlite: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string): Store {
  // Required here: pg is ~25 ms of start-up that the SQLite default never uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Pool } = require('pg') as { Pool: typeof PgPool };
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client cut off by the server (restart, failover, admin) is dropped from the pool
  // and replaced on next use; without a listener the pool's 'error' event would kill the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
    // Features land in parallel branches; a lower-numbered file may arrive after a higher one ran.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause}`);
  }
}
