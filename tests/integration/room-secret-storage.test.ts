import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import { connectAs, delegates, ok, roomFixture, type RoomFixture } from './room-helpers';

type Row = Record<string, unknown>;

/**
 * The attack an outside reviewer ran against secret ballots: voters vote ONE AT A TIME (no batch can
 * mix them), then a DBA pairs "who voted" with "what was voted" by physical row order (ctid), by the
 * writing transaction (xmin), by ids or by timestamps. Storage must make that structurally impossible
 * (docs/architecture.md "Guarantees of a vote").
 */
describe.each(storages())('secret ballots are unlinkable on disk on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  const voters: RoomClient[] = [];
  const names = delegates(24);

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 24 });
    chair = await connectAs(srv.url, f, 'chair');
    await chair.join(f.meetingId);
    for (const u of names) {
      const c = await connectAs(srv.url, f, u);
      await c.join(f.meetingId);
      voters.push(c);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    for (const c of [chair, ...voters]) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
  }, 300_000);
  afterAll(async () => {
    for (const c of [chair, ...voters]) {
      c.close();
    }
    await srv.close();
  });

  const query = async (q: ReturnType<typeof sql>): Promise<Row[]> => {
    const res = (await srv.server.ctx.db.execute(q)) as unknown as { rows: Row[] };
    return res.rows;
  };

  it('keeps no per-ballot row: pairing by ctid, xmin, ids or time re-identifies nobody', async () => {
    const poll = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Bầu kín từng người', kind: 'yes_no_abstain', secret: true })).poll;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: poll.pollId }));
    const options = ['yes', 'no', 'abstain'] as const;
    // A pattern that is neither sorted nor periodic, so any order-based pairing would show.
    const choiceOf = (i: number): (typeof options)[number] => options[(i * 7 + Math.floor(i / 5)) % 3] ?? 'yes';
    for (const [i, c] of voters.entries()) {
      ok(await c.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, ballotId: randomUUID(), choice: [choiceOf(i)] }));
    }
    const truth = new Map(names.map((u, i) => [f.userIds.get(u) ?? '', choiceOf(i)]));

    // Every table holding rows of this poll, found the way a DBA would (any column named poll_id).
    const tables = (await query(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'poll_id'`)).map(
      (r) => String(r.table_name),
    );
    expect(tables).toContain('secret_voters');
    expect(tables).toContain('secret_tallies');
    expect(tables).not.toContain('secret_ballots');
    const perTable = new Map<string, Row[]>();
    for (const t of tables) {
      perTable.set(t, await query(sql`select ctid::text as ctid, xmin::text as xmin, * from ${sql.identifier(t)} where poll_id = ${poll.pollId}`));
    }
    const voterRows = perTable.get('secret_voters') ?? [];
    expect(voterRows).toHaveLength(24);
    // Only "who voted" has a row per voter; no other table has enough rows to pair with them.
    for (const [t, rows] of perTable) {
      if (t !== 'secret_voters') {
        expect(rows.length, t).toBeLessThan(voterRows.length);
      }
    }
    // What was voted: one counter per option plus the number of ballots, and nothing about a voter.
    const tallies = perTable.get('secret_tallies') ?? [];
    expect(tallies.map((r) => r.option_id).sort()).toEqual(['#ballots', 'abstain', 'no', 'yes']);
    expect(Object.keys(tallies[0] ?? {}).sort()).toEqual(['ctid', 'option_id', 'poll_id', 'votes', 'xmin']);
    const counts = Object.fromEntries(tallies.map((r) => [String(r.option_id), Number(r.votes)]));
    expect(counts).toEqual({
      '#ballots': 24,
      yes: [...truth.values()].filter((c) => c === 'yes').length,
      no: [...truth.values()].filter((c) => c === 'no').length,
      abstain: [...truth.values()].filter((c) => c === 'abstain').length,
    });
    // Every counter was rewritten by the last ballot's transaction: xmin tells which transaction
    // counted last, not which option it moved. (Per-option xmins would name each option's last voter.)
    expect(new Set(tallies.map((r) => r.xmin)).size).toBe(1);
    const lastVoter = voterRows.find((r) => r.xmin === tallies[0]?.xmin);
    expect(lastVoter?.user_id).toBe(f.userIds.get(names[23] ?? ''));

    // The pairing attack itself, on every table: rows ordered by ctid or by xmin, paired with the
    // voters ordered the same way, guessing the choice from any choice-like column. (Against the old
    // one-row-per-ballot table this named 24 of 24; chance is about a third.)
    const order = (rows: Row[], by: 'ctid' | 'xmin'): Row[] =>
      [...rows].sort((a, b) => (by === 'xmin' ? Number(a.xmin) - Number(b.xmin) : String(a.ctid).localeCompare(String(b.ctid), 'en', { numeric: true })));
    for (const [t, rows] of perTable) {
      if (t === 'secret_voters') {
        continue;
      }
      for (const by of ['ctid', 'xmin'] as const) {
        const guesses = order(rows, by);
        const named = order(voterRows, by).filter((v, i) => {
          const g = guesses[i];
          const guess = g ? JSON.stringify([g.choice, g.option_id]) : '';
          return guess.includes(truth.get(String(v.user_id)) ?? '?');
        }).length;
        expect(named, `${t} by ${by}`).toBeLessThanOrEqual(tallies.length);
      }
    }

    // "Who voted" carries nothing about the choice: the client's ballot id and the voter only.
    expect(Object.keys(voterRows[0] ?? {}).sort()).toEqual(['ballot_id', 'ctid', 'poll_id', 'user_id', 'xmin']);
    // The audit log records that each member voted, never what.
    const audit = await query(sql`select data from audit_log where action = 'ballot.cast' and data like ${`%${poll.pollId}%`}`);
    expect(audit).toHaveLength(24);
    expect(audit.every((a) => !/yes|"no"|abstain/.test(String(a.data)))).toBe(true);

    const closed = ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: poll.pollId })).poll;
    expect(closed.result?.counts).toEqual({ yes: counts.yes, no: counts.no, abstain: counts.abstain });
    expect(closed.result?.cast).toBe(24);
  }, 120_000);
});
