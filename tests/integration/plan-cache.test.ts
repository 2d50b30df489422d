import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { namedBallots, polls, secretVoters } from '../../server/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populate, type Fixture } from '../../bench/lib/fixture';
import { prepareStorage, type PreparedStorage } from '../../bench/lib/storage';
import { openDatabase, type Database } from '../../server/db/client';
import { readHandshakes } from '../../server/room/handshake-reads';
import { votingCounts, votingCountsOf, votingCountsQuery } from '../../server/meetings/voting-members';
import { memberKey, memberPairsQuery, readMemberPairs } from '../../server/meetings/member';
import { namedCountsQuery } from '../../server/polls/tally';
import { ownBallotsQuery, readOwnBallots } from '../../server/room/snapshot';
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

// Every statement on PGlite (and the named ones on PostgreSQL) runs a generic plan, made without the
// values, and statistics lag behind a vote: the room's per-meeting and per-poll reads must not read a
// whole table. The voting-members count did (a hash join over a scan of `attendance`: 1.23 ms against
// 0.08 ms with 10,000 members), and so did the open polls' tally read (a scan of `named_ballots`).
describe.each(storages())('the room\'s count reads on %s use their keys', (kind) => {
  let storage: PreparedStorage;
  let fixture: Fixture;
  let database: Database;

  beforeAll(async () => {
    storage = await prepareStorage(kind);
    fixture = await populate(storage, 3000, 60);
    database = await openDatabase({ databaseUrl: storage.databaseUrl, pgliteDir: join(storage.dataDir, 'db'), poolSize: 1 });
  }, 180_000);

  afterAll(async () => {
    await database.close();
    await storage.cleanup();
  });

  /** The plan PostgreSQL picks for a statement prepared from drizzle's text, run with its own values. */
  const planOf = async (text: string, params: unknown[], mode: 'force_generic_plan' | 'force_custom_plan'): Promise<string> => {
    const run = async (q: string) => ((await database.db.execute(sql.raw(q))) as unknown as { rows: Record<string, unknown>[] }).rows;
    const literal = (v: unknown) => (Array.isArray(v) ? `'{${v.join(',')}}'` : `'${String(v)}'`);
    await run(`set plan_cache_mode = ${mode}`);
    await run(`prepare plan_under_test as ${text}`);
    try {
      return (await run(`explain execute plan_under_test(${params.map(literal).join(', ')})`)).map((r) => String(r['QUERY PLAN'])).join('\n');
    } finally {
      await run('deallocate plan_under_test');
    }
  };

  it('reads members and attendance by key under a generic plan, and counts right', async () => {
    const meetingId = fixture.chairs[0]?.meetingId ?? '';
    const counts = await votingCounts(database.db, meetingId);
    // 50 delegates and the chair, every one marked present by the fixture.
    expect(counts).toEqual({ eligible: 51, present: 51 });
    // The statement kept per database and the one built inside a transaction answer alike, for one
    // meeting or several (and a meeting without members is absent).
    const [first, second] = [...new Set(fixture.chairs.map((c) => c.meetingId))];
    if (!first || !second) {
      throw new Error('fixture: two meetings expected');
    }
    const nobody = '00000000-0000-4000-8000-00000000dead';
    const outside = await votingCountsOf(database.db, [first, second, nobody]);
    const inside = await database.db.transaction((tx) => votingCountsOf(tx, [first, second, nobody]));
    expect([...outside.keys()].sort()).toEqual([first, second].sort());
    expect(inside).toEqual(outside);
    expect(outside.get(first)).toEqual({ eligible: 51, present: 51 });
    const { sql: text, params } = votingCountsQuery(database.db, [meetingId]).toSQL();
    const plan = await planOf(text, params, 'force_generic_plan');
    expect(plan).not.toMatch(/Seq Scan on (attendance|meeting_members)/);
  });

  it('reads the memberships of pairs across meetings by key under a generic plan, and right', async () => {
    // Three delegates of three meetings, a chair, and a pair whose user is not a member of that meeting.
    const firstOf = new Map(fixture.delegates.map((d) => [d.meetingId, d] as const).reverse());
    const [a, b, c] = [...firstOf.values()];
    const chair = fixture.chairs.find((p) => p.meetingId === b?.meetingId);
    if (!a || !b || !c || !chair) {
      throw new Error('fixture: three meetings with a chair and delegates expected');
    }
    const pairs: [string, string][] = [...[a, b, c, chair].map((p): [string, string] => [p.meetingId, p.userId]), [a.meetingId, b.userId]];
    const found = await readMemberPairs(database.db, pairs);
    expect([...found.keys()].sort()).toEqual([a, b, c, chair].map((p) => memberKey(p.meetingId, p.userId)).sort());
    expect(found.get(memberKey(chair.meetingId, chair.userId))?.role).toBe('chair');
    expect(found.get(memberKey(b.meetingId, b.userId))?.meeting.id).toBe(b.meetingId);
    const { sql: text } = memberPairsQuery(database.db).toSQL();
    const plan = await planOf(text, [pairs.map(([m]) => m), pairs.map(([, u]) => u)], 'force_generic_plan');
    // Members and users by their keys; the meetings are few here, and a scan of them is the planner's cheaper choice.
    expect(plan).not.toMatch(/Seq Scan on (meeting_members|users)/);
  });

  it('counts the named ballots of open polls per poll by index, under generic and custom plans alike', async () => {
    // Statistics taken before the vote (the table empty), then a vote fills it: a join of the polls
    // with named_ballots kept being planned as a scan of the whole table (2–4 ms per tally flush at
    // 10,000 delegates). One open poll per meeting, every delegate has voted.
    const meetingIds = [...new Set(fixture.delegates.map((d) => d.meetingId))];
    const opened = await database.db
      .insert(polls)
      .values(
        meetingIds.map((meetingId) => ({
          meetingId,
          title: 'Plan',
          kind: 'yes_no_abstain' as const,
          options: JSON.stringify([{ id: 'yes', label: 'Yes' }]),
          secret: false,
          base: 'all' as const,
          thresholdNum: 1,
          thresholdDen: 2,
          thresholdStrict: true,
          correction: 'final' as const,
          hideTally: false,
          status: 'open' as const,
        })),
      )
      .returning({ id: polls.id, meetingId: polls.meetingId });
    const pollOf = new Map(opened.map((p) => [p.meetingId, p.id]));
    await database.db.insert(namedBallots).values(
      fixture.delegates.map((d) => ({ id: randomUUID(), pollId: pollOf.get(d.meetingId) ?? '', voterId: d.userId, choice: '["yes"]' })),
    );
    const ids = opened.slice(0, 10).map((p) => p.id);
    const { sql: text, params } = namedCountsQuery(database.db, ids).toSQL();
    for (const mode of ['force_generic_plan', 'force_custom_plan'] as const) {
      expect(await planOf(text, params, mode), mode).not.toMatch(/Seq Scan on named_ballots/);
    }
    const rows = await namedCountsQuery(database.db, ids);
    expect(rows.map((r) => Number(r.n)).reduce((a, b) => a + b, 0)).toBe(10 * 50);
  });
  it("reads joining members' own ballots of pairs across meetings by key, under generic and custom plans alike", async () => {
    // Two meetings: a named and a secret poll in the first, a named one in the second; every delegate of
    // both has voted in each (the statistics, again, taken before).
    const [m1, m2] = [...new Set(fixture.delegates.map((d) => d.meetingId))].slice(-2);
    if (!m1 || !m2) {
      throw new Error('fixture: two meetings expected');
    }
    const base = { title: 'Own', kind: 'yes_no_abstain' as const, options: JSON.stringify([{ id: 'yes', label: 'Yes' }]), base: 'all' as const, thresholdNum: 1, thresholdDen: 2, thresholdStrict: true, correction: 'final' as const, hideTally: false, status: 'closed' as const };
    const made = await database.db
      .insert(polls)
      .values([
        { ...base, meetingId: m1, secret: false },
        { ...base, meetingId: m1, secret: true },
        { ...base, meetingId: m2, secret: false },
      ])
      .returning({ id: polls.id });
    const [named1 = '', secret1 = '', named2 = ''] = made.map((p) => p.id);
    const of = (m: string) => fixture.delegates.filter((d) => d.meetingId === m);
    const ballotOf = new Map<string, string>();
    const named = [...of(m1).map((d) => [named1, d] as const), ...of(m2).map((d) => [named2, d] as const)].map(([pollId, d]) => {
      const id = randomUUID();
      ballotOf.set(`${pollId} ${d.userId}`, id);
      return { id, pollId, voterId: d.userId, choice: '["no"]' };
    });
    await database.db.insert(namedBallots).values(named);
    await database.db.insert(secretVoters).values(
      of(m1).map((d) => {
        const ballotId = randomUUID();
        ballotOf.set(`${secret1} ${d.userId}`, ballotId);
        return { pollId: secret1, userId: d.userId, ballotId };
      }),
    );
    // And a secret vote in every meeting, as the earlier test's named one: the table at a session's size.
    const everyMeeting = await database.db
      .insert(polls)
      .values([...new Set(fixture.delegates.map((d) => d.meetingId))].map((meetingId) => ({ ...base, meetingId, secret: true })))
      .returning({ id: polls.id, meetingId: polls.meetingId });
    const secretOf = new Map(everyMeeting.map((p) => [p.meetingId, p.id]));
    await database.db.insert(secretVoters).values(fixture.delegates.map((d) => ({ pollId: secretOf.get(d.meetingId) ?? '', userId: d.userId, ballotId: randomUUID() })));
    const [a, b] = of(m1);
    const [c] = of(m2);
    if (!a || !b || !c) {
      throw new Error('fixture: delegates expected');
    }
    // Three members, and a user of the second meeting asked about the first (none of theirs there).
    const found = await readOwnBallots(database.db, [[m1, a.userId], [m1, b.userId], [m2, c.userId], [m1, c.userId]]);
    expect([...found.keys()].sort()).toEqual([memberKey(m1, a.userId), memberKey(m1, b.userId), memberKey(m2, c.userId)].sort());
    // The earlier test's open polls have their ballots too: only this test's polls are compared.
    const mine = new Set([named1, secret1, named2]);
    const ownOf = (m: string, userId: string) =>
      (found.get(memberKey(m, userId)) ?? []).filter((x) => mine.has(x.pollId)).sort((x, y) => x.pollId.localeCompare(y.pollId));
    const want = (pollId: string, userId: string, choice: string[] | null) => ({ pollId, ballotId: ballotOf.get(`${pollId} ${userId}`), choice });
    expect(ownOf(m1, a.userId)).toEqual([want(named1, a.userId, ['no']), want(secret1, a.userId, null)].sort((x, y) => x.pollId.localeCompare(y.pollId)));
    expect(ownOf(m1, b.userId)).toHaveLength(2);
    expect(ownOf(m2, c.userId)).toEqual([want(named2, c.userId, ['no'])]);
    // Its placeholders by name, and the values drizzle inlined as parameters (the LIMITs) as they are.
    const values: Record<string, string[]> = { meetingIds: [m1, m2], userIds: [a.userId, c.userId] };
    const { sql: text, params: raw } = ownBallotsQuery(database.db).toSQL();
    const params = raw.map((p) => (typeof p === 'object' && p !== null && 'name' in p ? values[String(p.name)] : p));
    for (const mode of ['force_generic_plan', 'force_custom_plan'] as const) {
      expect(await planOf(text, params, mode), mode).not.toMatch(/Seq Scan on (named_ballots|secret_voters)/);
    }
  });
});
