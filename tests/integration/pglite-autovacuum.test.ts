import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../server/db/client';
import { autovacuumPass } from '../../server/db/pglite-autovacuum';
import { prepareStorage, type PreparedStorage } from '../../bench/lib/storage';
import { populate } from '../../bench/lib/fixture';

// The embedded storage has no autovacuum daemon: the server applies PostgreSQL's rule itself. These
// tests run on PGlite only, because on PostgreSQL the real daemon does this job.
describe('PGlite autovacuum pass', () => {
  let storage: PreparedStorage;
  let meetingId: string;

  beforeAll(async () => {
    storage = await prepareStorage('pglite');
    // 1,000 members entered by a path that never analyzes (the bench fixture, like a CLI import).
    const fixture = await populate(storage, 1000, 1);
    meetingId = fixture.chairs[0]?.meetingId ?? '';
  }, 120_000);

  afterAll(async () => {
    await storage.cleanup();
  });

  const votingCountPlan = async (client: PGlite): Promise<string> => {
    const res = await client.query<{ 'QUERY PLAN': string }>(
      `explain select count(*), count(*) filter (where a.present) from meeting_members mm
         left join attendance a on a.meeting_id = mm.meeting_id and a.user_id = mm.user_id
        where mm.meeting_id = $1 and mm.role in ('chair', 'delegate')`,
      [meetingId],
    );
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it('without statistics the planner nest-loops the voting count; the server opening the database analyzes it', async () => {
    const dir = join(storage.dataDir, 'db');
    const raw = await PGlite.create(dir);
    try {
      expect(await votingCountPlan(raw)).toContain('Nested Loop');
    } finally {
      await raw.close();
    }

    const errors: unknown[] = [];
    const database = await openDatabase({ pgliteDir: dir, autovacuum: { onError: (err) => errors.push(err) } });
    await database.close();
    expect(errors).toEqual([]);

    const again = await PGlite.create(dir);
    try {
      expect(await votingCountPlan(again)).not.toContain('Nested Loop');
      const analyzed = await again.query<{ relname: string }>(
        `select relname from pg_class where reltuples >= 0 and relname in ('meeting_members', 'attendance', 'sessions', 'users') order by relname`,
      );
      expect(analyzed.rows.map((r) => r.relname)).toEqual(['attendance', 'meeting_members', 'sessions', 'users']);
      // Nothing changed since: the next pass touches no table.
      expect(await autovacuumPass(again)).toEqual([]);
      // Changes past the threshold (50 + 10 % of the rows) are analyzed again; dead rows past 50 + 20 % vacuumed.
      await again.query(`update attendance set present = false where meeting_id = $1`, [meetingId]);
      const due = await autovacuumPass(again);
      expect(due).toContainEqual({ table: 'attendance', vacuum: true });
      expect(await autovacuumPass(again)).toEqual([]);
    } finally {
      await again.close();
    }
  }, 120_000);
});
