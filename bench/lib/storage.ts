import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PreparedStorage {
  readonly kind: 'pglite' | 'postgres';
  /** Temp data dir of the run (PGlite files in db/, blobs); removed by cleanup. */
  readonly dataDir: string;
  /** The run's own PostgreSQL database (postgres only); dropped by cleanup. */
  readonly databaseUrl: string | undefined;
  cleanup(): Promise<void>;
}

/** A temp data dir, and for PostgreSQL a fresh database next to DATABASE_URL's (loopback only). */
export async function prepareStorage(kind: 'pglite' | 'postgres', pgliteTemplate?: string): Promise<PreparedStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-bench-votes-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'pglite') {
    if (pgliteTemplate) {
      cpSync(pgliteTemplate, dataDir, { recursive: true });
    }
    return { kind, dataDir, databaseUrl: undefined, cleanup: async () => removeDir() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) {
    removeDir();
    throw new Error('--storage postgres needs DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test)');
  }
  assertLoopback(base, 'DATABASE_URL');
  const name = `ecab_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    cleanup: async () => {
      try {
        await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        removeDir();
      }
    },
  };
}

/** The benchmark only ever talks to this machine (loopback addresses only). */
export function assertLoopback(urlText: string, what: string): void {
  const host = new URL(urlText).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`${what} must point at a loopback address, got ${host}`);
  }
}

async function adminQuery(base: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
