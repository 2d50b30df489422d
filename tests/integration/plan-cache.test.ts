import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populate, type Fixture } from '../../bench/lib/fixture';
import { prepareStorage, type PreparedStorage } from '../../bench/lib/storage';
import { openDatabase, type Database } from '../../server/db/client';
import { readHandshakes } from '../../server/room/handshake-reads';
import { storages } from '../helpers/server';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

// PostgreSQL's default plan cache re-plans a named statement whenever its generic plan looks dearer
// than a custom one, and a `token_hash = any($1)` read always does: the handshake read was planned
// again on every connect. Both storages are opened with generic plans for their named statements.
describe.each(storages())('named statements on %s are planned once', (kind) => {
  let storage: PreparedStorage;
  let fixture: Fixture;
  let database: Database;

  beforeAll(async () => {
    storage = await prepareStorage(kind);
    fixture = await populate(storage, 200, 2);
    // One connection: the prepared statement and its counters live on it.
    database = await openDatabase({ databaseUrl: storage.databaseUrl, pgliteDir: join(storage.dataDir, 'db'), poolSize: 1 });
  }, 120_000);

  afterAll(async () => {
    await database.close();
    await storage.cleanup();
  });

  it('reads every handshake right, and the read is a generic plan from the first call', async () => {
    const people = [...fixture.delegates.slice(0, 20), ...fixture.chairs];
    for (const p of people) {
      const found = await readHandshakes(database.db, [sha256(p.token)]);
      const hs = found.get(sha256(p.token));
      expect(hs?.user.id).toBe(p.userId);
      expect([...(hs?.live.keys() ?? [])]).toEqual([p.meetingId]);
    }
    // A batch of several tokens, and an unknown one.
    const batch = await readHandshakes(database.db, [...people.slice(0, 5).map((p) => sha256(p.token)), sha256('nobody')]);
    expect(batch.size).toBe(5);

    type Row = { generic_plans: string | number; custom_plans: string | number };
    const res = (await database.db.execute(
      sql`select generic_plans, custom_plans from pg_prepared_statements where statement like '%"sessions"."token_hash" = any(%' and statement like '%meeting_members%' and statement not like '%pg_prepared_statements%'`,
    )) as unknown as { rows: Row[] };
    expect(res.rows).toHaveLength(1);
    const st = res.rows[0];
    expect(Number(st?.custom_plans)).toBe(0);
    expect(Number(st?.generic_plans)).toBe(people.length + 1);
  });
});
