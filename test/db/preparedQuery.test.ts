import type { Kysely } from 'kysely';
import { openStore, type Store } from '../../src/db/database';
import { preparedQuery } from '../../src/db/preparedQuery';
import type { Database } from '../../src/db/schema';
import { describePostgres, tempPostgres, tempSqlite, type TestDatabase } from '../support/databases';

// The hot reads are compiled once and run with each call's own arguments: the same rows as
// the query built afresh, on both engines, in and out of a transaction.
const stateOf = preparedQuery((db: Kysely<Database>, a: string, b: string) =>
  db.selectFrom('bot_state').select(['key', 'data']).where('key', 'in', [a, b]).orderBy('key'),
);
const firstKeys = preparedQuery((db: Kysely<Database>, prefix: string, limit: number) =>
  db.selectFrom('bot_state').select('key').where('key', 'like', prefix).orderBy('key').limit(limit),
);

function suite(open: () => TestDatabase | Promise<TestDatabase>) {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await open();
    store = await openStore(database.url);
    for (const key of ['a', 'b', 'c', 'd'])
      await store.db
        .insertInto('bot_state')
        .values({ key, data: `{"k":"${key}"}`, etag: 'e', updated_at: '2026-12-01T00:00:00Z' })
        .execute();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  test('each call gets the rows for its own arguments, as the built query would', async () => {
    expect(await stateOf(store.db, 'a', 'c')).toEqual([
      { key: 'a', data: '{"k":"a"}' },
      { key: 'c', data: '{"k":"c"}' },
    ]);
    expect(await stateOf(store.db, 'd', 'b')).toEqual([
      { key: 'b', data: '{"k":"b"}' },
      { key: 'd', data: '{"k":"d"}' },
    ]);
    expect(await stateOf(store.db, 'x', 'y')).toEqual([]);
    expect(await firstKeys(store.db, '%', 3)).toEqual([{ key: 'a' }, { key: 'b' }, { key: 'c' }]);
    expect(await firstKeys(store.db, '%', 1)).toEqual([{ key: 'a' }]);
  });

  test('inside a transaction it runs on the transaction and sees its writes', async () => {
    const seen = await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('bot_state').set({ data: '{"k":"changed"}' }).where('key', '=', 'a').execute();
      return stateOf(trx, 'a', 'b');
    });
    expect(seen[0]).toEqual({ key: 'a', data: '{"k":"changed"}' });
    expect(await stateOf(store.db, 'a', 'b')).toEqual([
      { key: 'a', data: '{"k":"changed"}' },
      { key: 'b', data: '{"k":"b"}' },
    ]);
  });

  test('a query that drops an argument is refused rather than run with the wrong parameters', async () => {
    const careless = preparedQuery((db: Kysely<Database>, key: string, _unused: string) =>
      db.selectFrom('bot_state').select('key').where('key', '=', key),
    );
    await expect(careless(store.db, 'a', 'b')).rejects.toThrow(/does not use every argument/);
  });
}

describe('preparedQuery on SQLite', () => suite(tempSqlite));
describePostgres('preparedQuery on Postgres', () => suite(tempPostgres));
