import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rowsOf } from '../../server/db/batch-sql';
import { openDatabase, type Database } from '../../server/db/client';

const SEGMENT = 16 * 1024 * 1024;

/**
 * PGlite runs PostgreSQL on the server's event loop: a new WAL segment must not be zero-filled inside
 * the statement that crosses into it (16 MB of writes, 40–140 ms with nothing else answered). The
 * server's database starts with `wal_init_zero = off`, so a new segment is created by writing its last
 * byte: a sparse file, not 16 MB of allocated blocks. PGlite only: PostgreSQL's own WAL writer
 * prepares segments outside any client's statement.
 */
describe('PGlite WAL segments', () => {
  let dir: string;
  let database: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecab-wal-'));
    database = await openDatabase({ pgliteDir: dir });
  }, 60_000);
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const one = async (query: ReturnType<typeof sql>): Promise<string> =>
    z.tuple([z.object({ v: z.string() })]).parse(rowsOf(await database.db.execute(query)))[0].v;
  const walFile = (): Promise<string> => one(sql`select pg_walfile_name(pg_current_wal_lsn()) as v`);

  it('are created without zero-filling: the segment a statement crosses into is sparse', async () => {
    expect(await one(sql`select current_setting('wal_init_zero') as v`)).toBe('off');
    await database.db.execute(sql`create table wal_fill (id serial primary key, v text)`);
    const first = await walFile();
    let now = first;
    // Random text does not compress: ≈ 60 KB of WAL per row (TOAST), a segment in ≈ 300 rows.
    for (let i = 0; i < 2_000 && now === first; i++) {
      await database.db.execute(sql`insert into wal_fill (v) values (${randomBytes(45_000).toString('base64')})`);
      now = await walFile();
    }
    expect(now).not.toBe(first);
    const st = statSync(join(dir, 'pg_wal', now));
    expect(st.size).toBe(SEGMENT);
    // Only what was written so far is allocated (the default fills all 16 MB at creation).
    expect(st.blocks * 512).toBeLessThan(SEGMENT / 2);
  }, 120_000);
});
