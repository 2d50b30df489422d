import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { PollCreate, PollView, TallyUpdate } from '../../shared/room/events';
import { auditLog, meetings, secretTallies, secretVoters } from '../../server/db/schema';
import { verifyAudit } from '../../server/audit/log';
import { connectAs, delegates, errCode, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

describe.each(storages())('room polls on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let secretary: RoomClient;
  let ds: RoomClient[] = []; // delegate01…delegate20, all checked in
  const extra: RoomClient[] = [];

  const create = async (p: Omit<PollCreate, 'meetingId'>): Promise<PollView> =>
    ok(await secretary.request('poll:create', { meetingId: f.meetingId, ...p })).poll;
  const open = async (pollId: string): Promise<PollView> => ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId })).poll;
  const close = async (pollId: string): Promise<PollView> => ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId })).poll;
  const d = (i: number): RoomClient => ds[i - 1] as RoomClient;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    chair = await connectAs(srv.url, f, 'chair');
    secretary = await connectAs(srv.url, f, 'secretary');
    ds = await Promise.all(delegates(20).map((u) => connectAs(srv.url, f, u)));
    for (const c of [chair, secretary, ...ds]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    ok(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
  });
  afterAll(async () => {
    for (const c of [chair, secretary, ...ds, ...extra]) {
      c.close();
    }
    await srv.close();
  });

  it('opens only with quorum; a chair override needs a reason and is audited', async () => {
    const p = await create({ title: 'Thử quorum', kind: 'yes_no_abstain' });
    expect(p.status).toBe('draft');
    // The draft's view counts the voting members (chair + 30 delegates), none voted.
    expect(p.progress).toEqual({ voted: 0, eligible: 31 });
    expect(errCode(await d(1).request('ballot:cast', { meetingId: f.meetingId, pollId: p.pollId, ballotId: randomUUID(), choice: ['yes'] }))).toBe(
      'POLL_NOT_OPEN',
    );
    expect(errCode(await chair.request('poll:open', { meetingId: f.meetingId, pollId: p.pollId }))).toBe('QUORUM_NOT_MET');
    const opened = ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: p.pollId, overrideQuorumReason: 'Thử nghiệm' })).poll;
    expect(opened).toMatchObject({ status: 'open', reason: 'Thử nghiệm' });
    const cancelled = ok(await chair.request('poll:cancel', { meetingId: f.meetingId, pollId: p.pollId, reason: 'Mở nhầm' })).poll;
    expect(cancelled.status).toBe('cancelled');
    const rows = await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'poll.quorum_override'));
    expect(rows).toHaveLength(1);
    // Now 21 of 31 check in (chair + delegate01…20): quorum met.
    for (const c of [chair, ...ds]) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
  });

  it('one open vote per meeting, polls only on the meeting\'s own agenda, and each step of a poll in the verified chain with what it decided', async () => {
    // With the current item (checked in the create's transaction) and without one (a statement of its own).
    const a = await create({ title: 'Một', kind: 'yes_no_abstain' });
    const b = await create({ title: 'Hai', kind: 'yes_no_abstain', itemId: null });
    expect([a.itemId, b.itemId]).toEqual([f.itemId, null]);
    expect(errCode(await secretary.request('poll:create', { meetingId: f.meetingId, title: 'Ba', kind: 'yes_no_abstain', itemId: randomUUID() }))).toBe('NOT_FOUND');
    await open(a.pollId);
    expect(errCode(await chair.request('poll:open', { meetingId: f.meetingId, pollId: b.pollId }))).toBe('INVALID_STATE');
    expect(errCode(await chair.request('poll:open', { meetingId: f.meetingId, pollId: a.pollId }))).toBe('INVALID_STATE');
    ok(await d(1).castBallot({ meetingId: f.meetingId, pollId: a.pollId, choice: ['yes'] }));
    const closed = await close(a.pollId);
    expect(closed.result).toMatchObject({ counts: { yes: 1, no: 0, abstain: 0 }, cast: 1, eligible: 31, present: 21 });
    const steps = (await srv.server.ctx.db.select().from(auditLog).orderBy(auditLog.seq))
      .map((r) => ({ action: r.action, data: JSON.parse(r.data) as Record<string, unknown> }))
      .filter((r) => r.data.pollId === a.pollId && r.action.startsWith('poll.'));
    expect(steps).toEqual([
      { action: 'poll.create', data: { pollId: a.pollId, title: 'Một', kind: 'yes_no_abstain', secret: false } },
      { action: 'poll.open', data: { pollId: a.pollId, closesAt: null } },
      { action: 'poll.close', data: { pollId: a.pollId, counts: { yes: 1, no: 0, abstain: 0 }, cast: 1, eligible: 31, present: 21 } },
    ]);
    expect((await verifyAudit(srv.server.ctx.db)).ok).toBe(true);
    ok(await chair.request('poll:cancel', { meetingId: f.meetingId, pollId: b.pollId, reason: 'Thử' }));
  });

  it('named poll: counts, changes until close, idempotent retries, two sockets counted once, late ballot refused', async () => {
    const p = await create({ title: 'Nghị quyết dự toán', kind: 'yes_no_abstain', correction: 'change_until_close' });
    const seenOpen = waitFor<PollView>((l) => d(5).on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'open');
    await open(p.pollId);
    await seenOpen;
    // 1…16 yes, 17…19 no, 20 abstain; chair votes no.
    const acks = await Promise.all(
      ds.map((c, i) => c.castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: [i < 16 ? 'yes' : i < 19 ? 'no' : 'abstain'] })),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    ok(await chair.castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['no'] }));
    // The same ballot id sent again, many times and from a second socket of the same user: one effect.
    const id = randomUUID();
    const second = await connectAs(srv.url, f, 'delegate17');
    extra.push(second);
    const mine = waitFor<{ pollId: string; choice: string[] | null }>((l) => second.on('ballot:mine', l), (b) => b.pollId === p.pollId);
    const retries = await Promise.all([
      ...Array.from({ length: 5 }, () => d(17).request('ballot:cast', { meetingId: f.meetingId, pollId: p.pollId, ballotId: id, choice: ['yes'] })),
      ...Array.from({ length: 5 }, () => second.request('ballot:cast', { meetingId: f.meetingId, pollId: p.pollId, ballotId: id, choice: ['yes'] })),
    ]);
    expect(retries.every((r) => r.ok)).toBe(true);
    expect(retries.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect((await mine).choice).toEqual(['yes']);
    const snap = await second.join(f.meetingId);
    expect(snap.myBallots.find((b) => b.pollId === p.pollId)).toMatchObject({ ballotId: id, choice: ['yes'] });
    expect(snap.openPoll?.progress).toEqual({ voted: 21, eligible: 31 });
    const delegateCopy = waitFor<PollView>((l) => d(2).on('poll:update', l), (u) => u.pollId === p.pollId && u.status === 'closed');
    const closed = await close(p.pollId);
    expect(closed.result).toMatchObject({ counts: { yes: 17, no: 3, abstain: 1 }, base: 31, needed: 16, passed: true, cast: 21, present: 21, listsOmitted: false });
    // delegates get the counts without the name lists; poll:result gives them on demand.
    expect((await delegateCopy).result).toMatchObject({ counts: closed.result?.counts, passed: true, listsOmitted: true, named: null, notVoted: [] });
    expect(ok(await d(2).request('poll:result', { meetingId: f.meetingId, pollId: p.pollId })).poll.result).toEqual(closed.result);
    expect((await d(2).snapshot(f.meetingId)).polls.find((x) => x.pollId === p.pollId)?.result?.listsOmitted).toBe(true);
    expect(closed.result?.percent.yes).toBe(54.84);
    expect(closed.result?.named).toHaveLength(21);
    expect(closed.result?.named?.find((n) => n.userId === f.userIds.get('delegate17'))?.choice).toEqual(['yes']);
    expect(closed.result?.notVoted).toHaveLength(10);
    const late = await d(1).request('ballot:cast', { meetingId: f.meetingId, pollId: p.pollId, ballotId: randomUUID(), choice: ['no'] });
    expect(errCode(late)).toBe('POLL_CLOSED');
    expect(errCode(await chair.request('poll:close', { meetingId: f.meetingId, pollId: p.pollId }))).toBe('POLL_CLOSED');
    // Repeat as a new poll: the closed one stays on record.
    const again = ok(await chair.request('poll:reopen', { meetingId: f.meetingId, pollId: p.pollId, reason: 'Biểu quyết lại' })).poll;
    expect(again).toMatchObject({ status: 'draft', replacesPollId: p.pollId, reason: 'Biểu quyết lại' });
    ok(await chair.request('poll:cancel', { meetingId: f.meetingId, pollId: again.pollId, reason: 'Không cần' }));
  });

  it('final polls refuse a second ballot; a mismatching choice is a validation error', async () => {
    const p = await create({ title: 'Cuối cùng', kind: 'yes_no_abstain', base: 'cast', threshold: { kind: 'ge_two_thirds' } });
    await open(p.pollId);
    ok(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] }));
    expect(errCode(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['no'] }))).toBe('ALREADY_VOTED');
    expect(errCode(await d(2).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes', 'no'] }))).toBe('VALIDATION_ERROR');
    expect(errCode(await d(2).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['c1'] }))).toBe('VALIDATION_ERROR');
    ok(await d(2).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['no'] }));
    ok(await d(3).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] }));
    const r = (await close(p.pollId)).result;
    // base = cast = 3; 2 yes ≥ 2/3 of 3.
    expect(r).toMatchObject({ base: 3, needed: 2, passed: true });
  });

  it('secret poll: who voted and what was voted are stored apart; final on first cast', async () => {
    const p = await create({ title: 'Bỏ phiếu kín', kind: 'yes_no_abstain', secret: true });
    await open(p.pollId);
    const ids: string[] = ds.map(() => randomUUID());
    await Promise.all(ds.map((c, i) => c.castBallot({ meetingId: f.meetingId, pollId: p.pollId, ballotId: ids[i], choice: [i < 10 ? 'yes' : 'no'] })));
    const dup = ok(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, ballotId: ids[0], choice: ['yes'] }));
    expect(dup.duplicate).toBe(true);
    expect(errCode(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['no'] }))).toBe('ALREADY_VOTED');
    const signed = await chair.castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'], signature: 'A'.repeat(40), nonce: 'n'.repeat(16) });
    expect(errCode(signed)).toBe('VALIDATION_ERROR');
    const snap = await d(1).snapshot(f.meetingId);
    expect(snap.myBallots.find((b) => b.pollId === p.pollId)).toEqual({ pollId: p.pollId, ballotId: ids[0], choice: null });
    const db = srv.server.ctx.db;
    // What was voted: counters per option (and the number of ballots), no row per ballot.
    const rows = await db.select().from(secretTallies).where(eq(secretTallies.pollId, p.pollId));
    expect(Object.fromEntries(rows.map((r) => [r.optionId, r.votes]))).toEqual({ '#ballots': 20, yes: 10, no: 10, abstain: 0 });
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['optionId', 'pollId', 'votes']);
    // No counter row carries a client ballot id.
    expect(rows.some((r) => ids.includes(r.optionId))).toBe(false);
    expect(await db.select().from(secretVoters).where(eq(secretVoters.pollId, p.pollId))).toHaveLength(20);
    const r = (await close(p.pollId)).result;
    expect(r).toMatchObject({ counts: { yes: 10, no: 10, abstain: 0 }, named: null, passed: false });
    expect(r?.notVoted).toHaveLength(11);
    // The audit log knows who voted, never what.
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'ballot.cast'));
    const secretEntries = audit.filter((a) => a.data.includes(p.pollId));
    expect(secretEntries).toHaveLength(20);
    expect(secretEntries.every((a) => !a.data.includes('yes') && !a.data.includes('no'))).toBe(true);
  });

  it('election: up to k of n, elected by the rule', async () => {
    const p = await create({ title: 'Bầu Phó Chủ tịch', kind: 'election', candidates: ['Lò Văn A', 'Giàng Thị B', 'Mùa A C'], maxChoices: 2, secret: true });
    expect(p.options.map((o) => o.id)).toEqual(['c0', 'c1', 'c2']);
    await open(p.pollId);
    expect(errCode(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['c0', 'c1', 'c2'] }))).toBe('VALIDATION_ERROR');
    await Promise.all(ds.map((c, i) => c.castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: i < 18 ? ['c0', 'c1'] : ['c2'] })));
    const r = (await close(p.pollId)).result;
    expect(r).toMatchObject({ counts: { c0: 18, c1: 18, c2: 2 }, elected: ['c0', 'c1'], passed: true, tie: false });
  });

  it('hidden tally: delegates see progress only until close; staff see counts; tallies are coalesced', async () => {
    const p = await create({ title: 'Ẩn kết quả', kind: 'yes_no_abstain', hideTally: true });
    const delegateTallies: TallyUpdate[] = [];
    const staffTallies: TallyUpdate[] = [];
    const off1 = d(20).on('poll:tally', (t) => delegateTallies.push(t));
    const off2 = chair.on('poll:tally', (t) => staffTallies.push(t));
    const opened = waitFor<PollView>((l) => d(20).on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'open');
    await open(p.pollId);
    expect((await opened).counts).toBeNull();
    // Listen before casting: the last tally may arrive in the same read as the last ack.
    const last = waitFor<TallyUpdate>((l) => d(20).on('poll:tally', l), (t) => t.pollId === p.pollId && t.progress.voted === 19);
    await Promise.all(ds.slice(0, 19).map((c) => c.castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] })));
    await last;
    expect((await d(20).snapshot(f.meetingId)).openPoll?.counts).toBeNull();
    expect((await chair.snapshot(f.meetingId)).openPoll?.counts).toMatchObject({ yes: 19 });
    const closed = waitFor<PollView>((l) => d(20).on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'closed');
    await close(p.pollId);
    expect((await closed).result?.counts).toMatchObject({ yes: 19 });
    // The close stops the poll's tallies: every tally of this vote has arrived by now.
    off1();
    off2();
    expect(delegateTallies.every((t) => t.counts === null)).toBe(true);
    expect(staffTallies.at(-1)?.counts).toMatchObject({ yes: 19 });
    // 19 ballots in a burst: far fewer broadcasts than ballots.
    expect(delegateTallies.length).toBeLessThan(19);
  });

  it('countdown closes the poll by itself (deadline kept in the database)', async () => {
    const p = await create({ title: 'Đếm ngược', kind: 'yes_no_abstain', durationSeconds: 1 });
    const closed = waitFor<PollView>((l) => d(3).on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'closed', 5000);
    const opened = await open(p.pollId);
    expect(opened.closesAt).not.toBeNull();
    ok(await d(3).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] }));
    const v = await closed;
    expect(v.result?.counts.yes).toBe(1);
    expect(errCode(await d(4).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] }))).toBe('POLL_CLOSED');
  });

  it('signature hook: a meeting that requires signed ballots refuses unsigned named ballots', async () => {
    const db = srv.server.ctx.db;
    await db.update(meetings).set({ requireSignedBallots: true }).where(eq(meetings.id, f.meetingId));
    const p = await create({ title: 'Ký số', kind: 'yes_no_abstain' });
    await open(p.pollId);
    expect(errCode(await d(1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, choice: ['yes'] }))).toBe('INVALID_SIGNATURE');
    await db.update(meetings).set({ requireSignedBallots: false }).where(eq(meetings.id, f.meetingId));
    await close(p.pollId);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
  it("a storm of snapshots, their own-ballot reads sharing statements, gives each member their own ballot and no one else's", async () => {
    const p = await create({ title: 'Phiếu của tôi', kind: 'yes_no_abstain' });
    await open(p.pollId);
    const choices = ['yes', 'no', 'abstain'] as const;
    // delegate01…18 vote, 19 and 20 do not.
    const cast = new Map<number, { ballotId: string; choice: string }>();
    await Promise.all(
      Array.from({ length: 18 }, async (_, k) => {
        const ballotId = randomUUID();
        const choice = choices[k % 3] ?? 'yes';
        ok(await d(k + 1).castBallot({ meetingId: f.meetingId, pollId: p.pollId, ballotId, choice: [choice] }));
        cast.set(k + 1, { ballotId, choice });
      }),
    );
    await close(p.pollId);
    const snaps = await Promise.all(ds.map((c) => c.snapshot(f.meetingId)));
    snaps.forEach((snap, k) => {
      const want = cast.get(k + 1);
      expect(snap.myBallots.filter((b) => b.pollId === p.pollId)).toEqual(want ? [{ pollId: p.pollId, ballotId: want.ballotId, choice: [want.choice] }] : []);
    });
  });
});
