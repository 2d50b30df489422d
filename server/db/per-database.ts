import type { Db } from './client';

/**
 * A value built once per database and kept with it, for the room's hot reads as drizzle prepared
 * statements: drizzle otherwise builds the query on every call (≈ 0.3–0.5 ms of a ≈ 1 ms read on
 * PGlite), and PostgreSQL plans a named statement once per connection. Keyed weakly: a closed
 * database (tests start many) takes its statements with it.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
