import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';
import { startAutovacuum } from './pglite-autovacuum';
import { PgliteStatements } from './pglite-statements';

export type Schema = typeof schema;
/** The common drizzle type of both drivers: code never knows which one it runs on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;
export type StorageKind = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly kind: StorageKind;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenDatabaseOptions {
  /** postgres://… switches to PostgreSQL; otherwise embedded PGlite in `pgliteDir`. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data directory; undefined = in memory. */
  readonly pgliteDir?: string | undefined;
  readonly poolSize?: number;
  /**
   * PGlite only: run PostgreSQL's autovacuum rule in this process (pglite-autovacuum.ts) — for the
   * long-running server, not for one-shot CLI commands. Failed passes go to the callback and are retried.
   */
  readonly autovacuum?: { readonly onError: (err: unknown) => void };
}

/** Opens the database and applies every pending migration before returning. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = drizzlePg({ client: pool, schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  if (opts.pgliteDir) {
    mkdirSync(opts.pgliteDir, { recursive: true });
  }
  // PGlite is single-connection per process (docs/architecture.md): queries and transactions are serialized.
  const client = await PGlite.create(opts.pgliteDir ?? undefined);
  // Drizzle calls only query() and transaction() on its client: PgliteStatements gives both, with
  // PostgreSQL's named statements kept between calls (see there why).
  const db = drizzlePglite({ client: new PgliteStatements(client) as unknown as PGlite, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
  const autovacuum = opts.autovacuum ? await startAutovacuum(client, opts.autovacuum.onError) : undefined;
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    close: async () => {
      await autovacuum?.stop();
      await client.close();
    },
  };
}
