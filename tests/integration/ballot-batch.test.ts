import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../server/audit/log';
import type { Db } from '../../server/db/client';
import { auditLog, meetings, namedBallots, secretTallies, secretVoters } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { loadMember, type Member } from '../../server/meetings/member';
import { BallotQueue } from '../../server/polls/ballot-queue';
import { countOpenBallots, type PollRow } from '../../server/polls/tally';
import { startServer, storages, type TestServer } from '../helpers/server';
import { insertPoll, roomFixture, type RoomFixture } from './room-helpers';

type Outcome = boolean | string;

/**
 * The group commit against the real database: a batch's new named ballots take one statement (the
 * database function cast_named_ballots), everything else the full path. One batch mixes every case,
 * so each must come out exactly as if it had been sent alone, and the audit chain must stay whole.
 */
describe.each(storages())('ballot batches on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let queue: BallotQueue;
  const db = (): Db => srv.server.ctx.db;
  const log = pino({ level: 'silent' });

  const member = (username: string): Promise<Member> => loadMember(db(), f.meetingId, f.userIds.get(username) ?? '');
  const newPoll = (opts: Parameters<typeof insertPoll>[2] = {}): Promise<PollRow> => insertPoll(db(), f.meetingId, opts);
  /** Submits every ballot in the same turn, so they form one batch; the outcome per ballot. */
  const cast = (jobs: { poll: PollRow; member: Member; ballotId?: string; choice?: string }[]): Promise<Outcome[]> =>
    Promise.all(
      jobs.map((j) =>
        queue
          .submit({ poll: j.poll, member: j.member, input: { meetingId: f.meetingId, pollId: j.poll.id, ballotId: j.ballotId ?? randomUUID(), choice: [j.choice ?? 'yes'] } })
          .catch((err: unknown) => (err instanceof AppError ? err.code : `unexpected: ${String(err)}`)),
      ),
    );
  const ballotsOf = async (poll: PollRow): Promise<Map<string, { id: string; choice: string }>> =>
    new Map(
      (await db().select().from(namedBallots).where(eq(namedBallots.pollId, poll.id))).map((b) => [b.voterId, { id: b.id, choice: b.choice }]),
    );
  // The server's countdown closes the first test's expired poll at its next sweep, which may fall in
  // any later test's window: that entry is not the batch's.
  const auditSince = async (seq: number): Promise<{ action: string; actorId: string | null }[]> =>
    db()
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(gt(auditLog.seq, seq), ne(auditLog.action, 'poll.autoclose')))
      .orderBy(asc(auditLog.seq));
  const lastSeq = async (): Promise<number> => (await db().select({ seq: auditLog.seq }).from(auditLog).orderBy(asc(auditLog.seq))).at(-1)?.seq ?? 0;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(db(), { delegates: 12 });
    queue = new BallotQueue(db(), log);
  }, 120_000);
  afterAll(async () => {
    await srv.close();
  });

  it('decides every case of a mixed batch as it would alone, and appends one audit entry per counted ballot', async () => {
    const open = await newPoll();
    const final = await newPoll({ correction: 'final' });
    const closed = await newPoll({ status: 'closed' });
    const expired = await newPoll({ closesAt: new Date(Date.now() - 1_000) });
    const [d1, d2, d3, d4, d5, d6, observer, chair] = await Promise.all(
      ['delegate01', 'delegate02', 'delegate03', 'delegate04', 'delegate05', 'delegate06', 'room-observer', 'chair'].map(member),
    );
    if (!d1 || !d2 || !d3 || !d4 || !d5 || !d6 || !observer || !chair) {
      throw new Error('fixture members missing');
    }
    // Removed from the meeting after the socket cached its membership.
    const outsider: Member = { ...d1, userId: f.userIds.get('outsider') ?? '' };
    const retried = randomUUID();
    const taken = randomUUID();
    const before = await lastSeq();

    const outcomes = await cast([
      { poll: open, member: d1, ballotId: retried, choice: 'yes' },
      { poll: open, member: d1, ballotId: retried, choice: 'yes' },
      { poll: open, member: d2, choice: 'yes' },
      { poll: open, member: d2, choice: 'no' },
      { poll: open, member: observer },
      { poll: open, member: outsider },
      { poll: closed, member: d3 },
      { poll: expired, member: d3 },
      { poll: final, member: d4, choice: 'yes' },
      { poll: final, member: d4, choice: 'no' },
      { poll: open, member: d5, ballotId: taken },
      { poll: final, member: d6, ballotId: taken },
      { poll: open, member: chair, choice: 'abstain' },
    ]);
    expect(outcomes).toEqual([false, true, false, false, 'FORBIDDEN', 'FORBIDDEN', 'POLL_CLOSED', 'POLL_CLOSED', false, 'ALREADY_VOTED', false, 'CONFLICT', false]);

    const onOpen = await ballotsOf(open);
    expect(new Map([...onOpen].map(([voter, b]) => [voter, b.choice]))).toEqual(
      new Map([
        [d1.userId, '["yes"]'],
        [d2.userId, '["no"]'],
        [d5.userId, '["yes"]'],
        [chair.userId, '["abstain"]'],
      ]),
    );
    expect(onOpen.get(d1.userId)?.id).toBe(retried);
    expect([...(await ballotsOf(final)).values()].map((b) => b.choice)).toEqual(['["yes"]']);
    expect((await ballotsOf(closed)).size + (await ballotsOf(expired)).size).toBe(0);

    const audit = await auditSince(before);
    const count = (action: string): number => audit.filter((a) => a.action === action).length;
    expect(count('ballot.cast')).toBe(5);
    expect(count('ballot.change')).toBe(1);
    expect(audit.find((a) => a.action === 'ballot.change')?.actorId).toBe(d2.userId);
    expect(await verifyAudit(db())).toMatchObject({ ok: true });
  });

  it('decides a mixed batch of SECRET ballots as alone: counters only, one per option, nothing per ballot', async () => {
    const poll = await newPoll({ secret: true });
    const closed = await newPoll({ secret: true, status: 'closed' });
    const [d1, d2, d3, observer] = await Promise.all(['delegate01', 'delegate02', 'delegate03', 'room-observer'].map(member));
    if (!d1 || !d2 || !d3 || !observer) {
      throw new Error('fixture members missing');
    }
    const retried = randomUUID();
    const before = await lastSeq();
    const outcomes = await cast([
      { poll, member: d1, ballotId: retried, choice: 'no' },
      { poll, member: d1, ballotId: retried, choice: 'no' },
      { poll, member: d2, choice: 'yes' },
      { poll, member: d2, choice: 'no' },
      { poll, member: observer },
      { poll: closed, member: d3 },
      { poll, member: d3, choice: 'no' },
    ]);
    expect(outcomes).toEqual([false, true, false, 'ALREADY_VOTED', 'FORBIDDEN', 'POLL_CLOSED', false]);
    const counters = await db().select().from(secretTallies).where(eq(secretTallies.pollId, poll.id));
    expect(Object.fromEntries(counters.map((c) => [c.optionId, c.votes]))).toEqual({ '#ballots': 3, yes: 1, no: 2, abstain: 0 });
    const voters = await db().select().from(secretVoters).where(eq(secretVoters.pollId, poll.id));
    expect(new Map(voters.map((v) => [v.userId, v.ballotId])).get(d1.userId)).toBe(retried);
    expect(voters).toHaveLength(3);
    const audit = await auditSince(before);
    expect(audit.map((a) => a.action)).toEqual(['ballot.cast', 'ballot.cast', 'ballot.cast']);
    expect(await verifyAudit(db())).toMatchObject({ ok: true });
  });

  it('admits a ballot only into a poll of the meeting it is cast in, on the one-statement path and on the full one', async () => {
    // Another meeting's open poll, named and secret, handed to the queue as if looked up under this meeting.
    const [other] = await db().insert(meetings).values({ title: 'Kỳ họp khác', body: 'HĐND xã', startsAt: new Date(), status: 'in_progress' }).returning();
    const named = await insertPoll(db(), other?.id ?? '');
    const secret = await insertPoll(db(), other?.id ?? '', { secret: true });
    const d7 = await member('delegate07');
    const here = await newPoll();
    const outcomes = await cast([
      { poll: named, member: d7 },
      { poll: secret, member: d7 },
      { poll: here, member: d7 },
    ]);
    expect(outcomes).toEqual(['NOT_FOUND', 'NOT_FOUND', false]);
    expect((await ballotsOf(named)).size).toBe(0);
    expect(await db().select().from(secretVoters).where(eq(secretVoters.pollId, secret.id))).toEqual([]);
    expect([...(await ballotsOf(here)).keys()]).toEqual([d7.userId]);
  });

  it('refuses an unsigned named ballot where the meeting requires signed ones, and counts nothing for it', async () => {
    const poll = await newPoll();
    await db().update(meetings).set({ requireSignedBallots: true }).where(eq(meetings.id, f.meetingId));
    try {
      const d7 = await member('delegate07');
      expect(await cast([{ poll, member: d7 }])).toEqual(['INVALID_SIGNATURE']);
      expect((await ballotsOf(poll)).size).toBe(0);
    } finally {
      await db().update(meetings).set({ requireSignedBallots: false }).where(eq(meetings.id, f.meetingId));
    }
  });

  it('keeps one gap-free audit chain when two nodes commit batches at once', async () => {
    const poll = await newPoll();
    const other = new BallotQueue(db(), log);
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => member(`delegate${String(i + 1).padStart(2, '0')}`)));
    const before = await lastSeq();
    const half = (q: BallotQueue, ms: Member[]): Promise<boolean[]> =>
      Promise.all(ms.map((m) => q.submit({ poll, member: m, input: { meetingId: f.meetingId, pollId: poll.id, ballotId: randomUUID(), choice: ['yes'] } })));
    const [a, b] = await Promise.all([half(queue, voters.slice(0, 6)), half(other, voters.slice(6))]);
    expect([...a, ...b]).toEqual(Array.from({ length: 12 }, () => false));
    expect((await ballotsOf(poll)).size).toBe(12);
    // Only this poll's entries: the server's own countdown may close the expired poll of the first test meanwhile.
    const mine = (await db().select({ action: auditLog.action, data: auditLog.data }).from(auditLog).where(gt(auditLog.seq, before))).filter((a) =>
      a.data.includes(poll.id),
    );
    expect(mine.map((a) => a.action)).toEqual(Array.from({ length: 12 }, () => 'ballot.cast'));
    expect(await verifyAudit(db())).toMatchObject({ ok: true });
  });

  it('counts the running tallies of several open polls, named and secret, in one call; a closed one reads as null', async () => {
    const [named, secret, closed] = [await newPoll(), await newPoll({ secret: true }), await newPoll({ status: 'closed' })];
    const [d8, d9, d10] = await Promise.all(['delegate08', 'delegate09', 'delegate10'].map(member));
    if (!d8 || !d9 || !d10) {
      throw new Error('fixture members missing');
    }
    expect(
      await cast([
        { poll: named, member: d8, choice: 'no' },
        { poll: named, member: d9, choice: 'no' },
        { poll: named, member: d10, choice: 'yes' },
        { poll: secret, member: d8, choice: 'abstain' },
        { poll: secret, member: d9, choice: 'yes' },
      ]),
    ).toEqual([false, false, false, false, false]);
    const tallies = await countOpenBallots(db(), [named, secret, closed]);
    expect(Object.fromEntries(tallies)).toEqual({
      [named.id]: { counts: { yes: 1, no: 2, abstain: 0 }, cast: 3 },
      [secret.id]: { counts: { yes: 1, no: 0, abstain: 1 }, cast: 2 },
      [closed.id]: null,
    });
  });

  it('with gatherMs, holds a batch due soon after the previous one and writes what arrived meanwhile with it; a ballot on a quiet queue goes at once', async () => {
    const poll = await newPoll();
    const voters = await Promise.all(['delegate01', 'delegate02', 'delegate03', 'delegate04'].map(member));
    const [a, b, c, d] = voters;
    if (!a || !b || !c || !d) {
      throw new Error('fixture members missing');
    }
    const spaced = new BallotQueue(db(), log, undefined, { gatherMs: 300 });
    const submit = (m: Member): Promise<boolean> =>
      spaced.submit({ poll, member: m, input: { meetingId: f.meetingId, pollId: poll.id, ballotId: randomUUID(), choice: ['yes'] } });
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    // A batch's entries carry the time its statement was built: one time, one batch.
    const batchAt = async (m: Member): Promise<number> => {
      const rows = await db().select({ at: auditLog.at, data: auditLog.data }).from(auditLog).where(eq(auditLog.actorId, m.userId));
      const at = rows.find((r) => r.data.includes(poll.id))?.at;
      if (!at) {
        throw new Error('no audit entry for the ballot');
      }
      return at.getTime();
    };

    const t0 = Date.now();
    expect(await submit(a)).toBe(false);
    // The first batch has committed, but began less than 300 ms ago: b and c wait for the window and go together.
    const busy = [submit(b)];
    await sleep(30);
    busy.push(submit(c));
    expect(await Promise.all(busy)).toEqual([false, false]);
    const [atA, atB, atC] = [await batchAt(a), await batchAt(b), await batchAt(c)];
    // Wide margins: a loaded machine may delay a timer by tens of ms.
    expect(atA - t0).toBeLessThan(150);
    expect(atB - atA).toBeGreaterThanOrEqual(295);
    expect(atC).toBe(atB);

    // Long after the last batch, a ballot does not wait.
    await sleep(350);
    const t1 = Date.now();
    expect(await submit(d)).toBe(false);
    expect((await batchAt(d)) - t1).toBeLessThan(150);
    expect([...(await ballotsOf(poll)).keys()].sort()).toEqual(voters.map((v) => v?.userId).sort());
    expect(await verifyAudit(db())).toMatchObject({ ok: true });
  });
});
