import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { RunningServer } from '../../server/app';
import { createSeededServer } from '../../seeds/server';
import type { ServerConfigInput } from '../../server/config';

export type Storage = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export function storages(): Storage[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestServer {
  readonly url: string;
  readonly server: RunningServer;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

/** Creates an empty PostgreSQL database for one test server and returns its URL and a dropper. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    throw new Error('DATABASE_URL is not set');
  }
  const name = `ecab_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A real server on port 0 with its own data dir (and its own PostgreSQL database). */
export async function startServer(
  opts: { storage?: Storage; seed?: 'demo'; dataDir?: string; databaseUrl?: string; config?: Partial<ServerConfigInput> } = {},
): Promise<TestServer> {
  const storage = opts.storage ?? 'pglite';
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ecab-test-'));
  let databaseUrl = opts.databaseUrl;
  let drop: (() => Promise<void>) | undefined;
  if (storage === 'postgres' && !databaseUrl) {
    const fresh = await freshPostgresDatabase();
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  if (storage === 'pglite' && ownDir) {
    cpSync(opts.seed === 'demo' ? inject('pgliteTemplateDemo') : inject('pgliteTemplateEmpty'), dataDir, { recursive: true });
  }
  const server = await createSeededServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl,
    seed: opts.seed,
    logLevel: 'warn',
    ...opts.config,
  });
  const url = await server.listen();
  return {
    url,
    server,
    dataDir,
    databaseUrl,
    async close() {
      await server.close();
      await drop?.();
      if (ownDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
