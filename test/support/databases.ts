import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file in a temp folder. */
export function tempSqlite(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-test-'));
  return {
    url: `sqlite:${path.join(dir, 'test.db')}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** TEST_DATABASE_URL when set (CI sets it): the machine's real Postgres. */
export const postgresUrl = process.env.TEST_DATABASE_URL || undefined;

let noticePrinted = false;
/** describe() for Postgres suites: skipped, with a printed notice, when no TEST_DATABASE_URL. */
export const describePostgres = ((name: string, fn: jest.EmptyFunction) => {
  if (postgresUrl) return describe(name, fn);
  if (!noticePrinted) {
    console.log(
      'SKIPPED: Postgres tests need TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test); .ci/run sets it',
    );
    noticePrinted = true;
  }
  return describe.skip(name, fn);
}) as unknown as jest.Describe;

/** A fresh database on the TEST_DATABASE_URL server, dropped afterwards. */
export async function tempPostgres(): Promise<TestDatabase> {
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `onboarding_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
