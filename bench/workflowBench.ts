import { App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { tempPostgres, tempSqlite, type TestDatabase } from '../test/support/databases';
import { driveTo } from '../test/support/journey';
import { uid, workflowHttp } from '../test/support/testApp';

/**
 * Workflow API benchmark over real HTTP on loopback: actions per second (register +
 * request-qualification-review pairs, 8 clients) and the 50-way approve race's latency,
 * on SQLite and, when TEST_DATABASE_URL is set, Postgres.
 */
const TOKEN = 'bench-token';
const CLIENTS = 8;
const ACTIONS_PER_CLIENT = 150;

async function benchOn(name: string, db: TestDatabase) {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    WORKFLOW_API_TOKEN: TOKEN,
    BD_USER_IDS: 'bd',
  });
  const app = await App.create(config, { log: createLogger('silent') });
  await app.listen();
  const http = workflowHttp(app.url, TOKEN);
  try {
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; i < ACTIONS_PER_CLIENT / 2; i++) {
          const p = `bench-${c}-${i}`;
          const r = await http('POST', '/applications', p, {
            companyName: 'Bench Co',
            // A UID of its own: one shared by all 600 would measure the duplicate-UID warnings growing instead.
            mainUid: uid(),
            contactEmail: 'b@bench.co',
          });
          const review = await http(
            'POST',
            `/applications/${r.body.id}/actions/request-qualification-review`,
            p,
            { expectedVersion: 1 },
          );
          // A refused action is fast: count only what the workflow did.
          if (r.status !== 201 || review.status !== 200)
            throw new Error(`workflow bench: answered ${r.status} then ${review.status}`);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const actionsPerSecond = (CLIENTS * ACTIONS_PER_CLIENT) / seconds;

    const app50 = await driveTo(http, 'bench-race', 'submitted', 'bd');
    const raceStart = process.hrtime.bigint();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        http('POST', `/applications/${app50.id}/actions/approve`, 'bd', { expectedVersion: app50.version }),
      ),
    );
    const raceMs = Number(process.hrtime.bigint() - raceStart) / 1e6;
    const winners = results.filter((r) => r.status === 200).length;
    return {
      store: name,
      actionsPerSecond: Math.round(actionsPerSecond),
      race50Ms: Math.round(raceMs),
      raceWinners: winners,
    };
  } finally {
    await app.stop();
  }
}

export async function runWorkflowBench(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const sqlite = tempSqlite();
  try {
    rows.push(await benchOn('sqlite', sqlite));
  } finally {
    await sqlite.drop();
  }
  if (process.env.TEST_DATABASE_URL) {
    const pg = await tempPostgres();
    try {
      rows.push(await benchOn('postgres', pg));
    } finally {
      await pg.drop();
    }
  } else {
    console.log('workflow bench: Postgres skipped (set TEST_DATABASE_URL)');
  }
  console.table(rows);
  return rows;
}

if (require.main === module) void runWorkflowBench();
