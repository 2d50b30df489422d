import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../server/audit/log';
import { attendance, auditLog, meetings, polls } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { openPoll } from '../../server/polls/lifecycle';
import { startServer, storages, type TestServer } from '../helpers/server';
import { delegates, insertPoll, roomFixture, type RoomFixture } from './room-helpers';

/**
 * A poll's open is one call of the database function `poll_open` (migration 0020), which writes the
 * quorum rule and the audit entries' canonical bodies in SQL. Checked here against their TypeScript
 * originals: shared/domain/quorum.ts at its boundary, and `audit verify`, which recomputes every hash
 * from the stored data with canonicalJson.
 */
describe.each(storages())('poll_open on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chairId: string;

  const db = () => srv.server.ctx.db;
  const refusal = async (p: Promise<unknown>): Promise<{ code: string; message: string }> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    const { code, message } = err as AppError;
    return { code, message };
  };
  const setQuorum = async (num: number, den: number) => {
    await db().update(meetings).set({ quorumNum: num, quorumDen: den }).where(eq(meetings.id, f.meetingId));
  };

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(db());
    chairId = f.userIds.get('chair') ?? '';
    await db().update(meetings).set({ status: 'in_progress' }).where(eq(meetings.id, f.meetingId));
    // 21 of the 31 voting members present: the chair and delegate01…20.
    const present = ['chair', ...delegates(20)].map((u) => f.userIds.get(u) ?? '');
    await db()
      .insert(attendance)
      .values(present.map((userId) => ({ meetingId: f.meetingId, userId, present: true, source: 'self' as const })));
  });
  afterAll(async () => {
    await srv.close();
  });

  it('applies the quorum rule at its boundary: present × den ≥ total × num', async () => {
    const p = await insertPoll(db(), f.meetingId, { status: 'draft' });
    // 21 × 31 = 31 × 21: met exactly. One more needed: refused, with the shared rule's figures.
    await setQuorum(22, 31);
    expect(await refusal(openPoll(db(), f.meetingId, p.id, chairId, undefined))).toEqual({
      code: 'QUORUM_NOT_MET',
      message: 'Quorum not met: 21 of 31 present, 22 needed',
    });
    expect((await db().select().from(polls).where(eq(polls.id, p.id)))[0]?.status).toBe('draft');
    await setQuorum(21, 31);
    const { row, eligible } = await openPoll(db(), f.meetingId, p.id, chairId, undefined);
    expect(eligible).toBe(31);
    expect(row).toMatchObject({ status: 'open', closesAt: null, reason: null });
    await db().update(polls).set({ status: 'closed' }).where(eq(polls.id, p.id));
    await setQuorum(2, 3);
  });

  it('refuses what the room refused, changing nothing', async () => {
    const open = await insertPoll(db(), f.meetingId, { status: 'open' });
    const draft = await insertPoll(db(), f.meetingId, { status: 'draft' });
    expect(await refusal(openPoll(db(), f.meetingId, randomUUID(), chairId, undefined))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(openPoll(db(), f.meetingId, open.id, chairId, undefined))).toEqual({
      code: 'INVALID_STATE',
      message: 'Only a draft poll can be opened (it is open)',
    });
    expect(await refusal(openPoll(db(), f.meetingId, draft.id, chairId, undefined))).toEqual({
      code: 'INVALID_STATE',
      message: 'Another vote is open; close it first',
    });
    await db().update(polls).set({ status: 'closed' }).where(eq(polls.id, open.id));
    await db().update(meetings).set({ paused: true }).where(eq(meetings.id, f.meetingId));
    expect(await refusal(openPoll(db(), f.meetingId, draft.id, chairId, undefined))).toMatchObject({ code: 'INVALID_STATE' });
    await db().update(meetings).set({ paused: false }).where(eq(meetings.id, f.meetingId));
    // Another meeting's id with this poll: not found, as a poll of another meeting is.
    expect(await refusal(openPoll(db(), randomUUID(), draft.id, chairId, undefined))).toMatchObject({ code: 'NOT_FOUND' });
    const [after] = await db().select().from(polls).where(eq(polls.id, draft.id));
    expect(after).toMatchObject({ status: 'draft', openedAt: null });
    await db().delete(polls).where(eq(polls.id, draft.id));
  });

  it('an override and a countdown: the row as the table reads it, both entries in the verified chain', async () => {
    const p = await insertPoll(db(), f.meetingId, { status: 'draft', durationSeconds: 90 });
    await setQuorum(9, 10);
    // Every character class canonicalJson escapes, and some it must not.
    const reason = 'Chủ tọa quyết định "mở" \\ dòng\nmới\ttab\u0001 / 😀 \u2028';
    const { row } = await openPoll(db(), f.meetingId, p.id, chairId, reason);
    const [read] = await db().select().from(polls).where(eq(polls.id, p.id));
    expect(row).toEqual(read);
    expect(row.reason).toBe(reason);
    expect(row.closesAt?.getTime()).toBe((row.openedAt?.getTime() ?? 0) + 90_000);

    const entries = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.meetingId, f.meetingId), inArray(auditLog.action, ['poll.quorum_override', 'poll.open'])))
      .orderBy(auditLog.seq);
    const mine = entries.filter((e) => (JSON.parse(e.data) as { pollId: string }).pollId === p.id);
    expect(mine.map((e) => ({ action: e.action, actorId: e.actorId, data: JSON.parse(e.data) as unknown }))).toEqual([
      { action: 'poll.quorum_override', actorId: chairId, data: { pollId: p.id, present: 21, reason, required: 28, total: 31 } },
      { action: 'poll.open', actorId: chairId, data: { pollId: p.id, closesAt: row.closesAt?.toISOString() } },
    ]);
    expect(await verifyAudit(db())).toMatchObject({ ok: true });
    await setQuorum(2, 3);
  });
});
