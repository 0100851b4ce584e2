import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** Where a call's argument goes among a compiled query's parameters. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A read whose SQL is the same on every call, built and compiled once per database handle.
 * Kysely builds, freezes and compiles the whole operation tree on every call: on a `status`
 * turn that was a tenth of the product's CPU (profiled), for three reads whose SQL never
 * changes. `build` is called once with placeholders for the arguments and must use each one
 * as a plain value (a `where`, an `in` list of fixed length, a `limit`), never in a way
 * that changes the SQL. Inside a transaction (a new handle each time) it is built as usual.
 */
export function preparedQuery<DB, A extends unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): (db: Kysely<DB>, ...args: A) => Promise<R[]> {
  const run = preparedStatement(build);
  return async (db, ...args) => (await run(db, ...args)).rows;
}

/** The same for a write: the whole result, whose `numAffectedRows` says what it changed. */
export function preparedStatement<DB, A extends unknown[], R>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): (db: Kysely<DB>, ...args: A) => Promise<QueryResult<R>> {
  const compiled = new WeakMap<Kysely<DB>, CompiledQuery<R>>();
  return async (db, ...args) => {
    if (db.isTransaction) return db.executeQuery(build(db, ...args));
    let query = compiled.get(db);
    if (!query) {
      const slots = args.map((_, i) => new Slot(i)) as unknown as A;
      query = build(db, ...slots).compile();
      const used = new Set(query.parameters.filter((p) => p instanceof Slot).map((p) => p.index));
      if (used.size !== args.length)
        throw new Error(`preparedQuery: ${query.sql} does not use every argument`);
      compiled.set(db, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p));
    return db.executeQuery<R>({ ...query, parameters });
  };
}
