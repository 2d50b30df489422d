import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { auditChainArgs } from '../audit/log';
import { installAuditFollowUp } from '../audit/pending';
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

/**
 * PGlite's start parameters, plus `wal_init_zero = off`. PGlite runs PostgreSQL on the server's event
 * loop, and with the default every new 16 MB WAL segment was zero-filled inside the statement that
 * crossed into it: 40–140 ms during which no ack, tally or join was answered (once every few thousand
 * ballots; docs/benchmarks.md "Live room, eleventh round"). Off, PostgreSQL writes the segment's last
 * byte instead. The zeros buy nothing here: they pre-allocate blocks so that a later fsync need not
 * update the file's metadata, and PGlite on Node never calls fsync (docs/architecture.md).
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'];

/** Generic plans for named statements (see openDatabase), as a `set` (PGlite) and a startup option (PostgreSQL). */
const GENERIC_PLANS = { name: 'plan_cache_mode', value: 'force_generic_plan' } as const;
const PLAN_CACHE_MODE = `set ${GENERIC_PLANS.name} = ${GENERIC_PLANS.value}`;
const PG_STARTUP_OPTIONS = `-c ${GENERIC_PLANS.name}=${GENERIC_PLANS.value}`;

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
    // Generic plans for named statements, which on this driver are only the room's hot prepared reads
    // (drizzle sends every other query unnamed): PostgreSQL's default re-plans a statement whose
    // generic plan looks dearer, and `token_hash = any($1)` always does (an array of unknown length),
    // so the handshake read was planned on every connect (1.0–1.1 ms against 0.55 ms; see
    // docs/architecture.md "Facts learned the hard way"). Set in each connection's startup message: a
    // `set` queued from the pool's 'connect' event ran beside the pool's first query on that client,
    // which pg deprecates (a warning in every server log). A DATABASE_URL with its own `options`
    // parameter replaces this one.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, options: PG_STARTUP_OPTIONS });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = drizzlePg({ client: pool, schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
    // Several connections: a COMMIT may find the audit chain's lock taken (server/audit/pending.ts).
    installAuditFollowUp(db as unknown as Db, auditChainArgs());
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  if (opts.pgliteDir) {
    mkdirSync(opts.pgliteDir, { recursive: true });
  }
  // PGlite is single-connection per process (docs/architecture.md): queries and transactions are serialized.
  const client = await PGlite.create(opts.pgliteDir ?? undefined, { startParams: PGLITE_START_PARAMS });
  // Drizzle calls only query() and transaction() on its client: PgliteStatements gives both, with
  // PostgreSQL's named statements kept between calls (see there why).
  const db = drizzlePglite({ client: new PgliteStatements(client) as unknown as PGlite, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
  // The named statements here are the ones PgliteStatements keeps: all plain DML and queries. Every
  // one of them is a key or small-range lookup on tables without partial indexes, so a generic plan
  // is as good as a custom one, and PostgreSQL's default kept re-planning the `any($1)` reads on
  // every call (the handshake read: 2.0 ms, 1.4 of it planning, against 0.7 ms generic).
  await client.exec(PLAN_CACHE_MODE);
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
