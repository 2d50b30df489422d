import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { PollView } from '../../shared/room/events';
import { agendaItems, auditLog, meetings } from '../../server/db/schema';
import { connectAs, delegates, errCode, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

/** Prepared polls: the secretary prepares drafts per agenda item before the meeting starts. */
describe.each(storages())('prepared polls on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let secretary: RoomClient;
  let delegate: RoomClient;
  let item2: string;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 3 });
    const [row] = await srv.server.ctx.db
      .insert(agendaItems)
      .values({ meetingId: f.meetingId, position: 2, title: 'Bầu bổ sung Ủy viên Thường trực', kind: 'election' })
      .returning();
    item2 = row?.id ?? '';
    // Before the meeting starts: a draft meeting is visible to staff only.
    await srv.server.ctx.db.update(meetings).set({ status: 'draft' }).where(eq(meetings.id, f.meetingId));
    chair = await connectAs(srv.url, f, 'chair');
    secretary = await connectAs(srv.url, f, 'secretary');
    delegate = await connectAs(srv.url, f, delegates(1)[0] ?? 'delegate01');
  });
  afterAll(async () => {
    for (const c of [chair, secretary, delegate]) {
      c?.close();
    }
    await srv.close();
  });

  it('the secretary creates, edits and deletes drafts of a meeting that has not started; staff see them live', async () => {
    const snap = await secretary.join(f.meetingId);
    expect(snap.meeting.status).toBe('draft');
    await chair.join(f.meetingId);
    const meetingId = f.meetingId;

    const created = ok(
      await secretary.request('poll:create', {
        meetingId,
        itemId: f.itemId,
        title: 'Thông qua Nghị quyết về dự toán ngân sách',
        kind: 'yes_no_abstain',
        threshold: { kind: 'ge_two_thirds' },
        correction: 'change_until_close',
      }),
    ).poll;
    expect(created).toMatchObject({ status: 'draft', itemId: f.itemId, threshold: { num: 2, den: 3, strict: false } });

    // Edit: becomes a secret election on the other item, with a countdown; the chair sees the change.
    const seen = waitFor<PollView>((l) => chair.on('poll:update', l), (p) => p.pollId === created.pollId && p.kind === 'election');
    const edited = ok(
      await secretary.request('poll:edit', {
        meetingId,
        pollId: created.pollId,
        itemId: item2,
        title: 'Bầu Ủy viên Thường trực',
        kind: 'election',
        candidates: ['Lò Văn Páo', 'Giàng Thị Mai', 'Sùng A Tủa'],
        maxChoices: 2,
        secret: true,
        base: 'present',
        threshold: { kind: 'custom', num: 1, den: 2, strict: false },
        durationSeconds: 120,
        hideTally: true,
      }),
    ).poll;
    expect(edited).toMatchObject({
      pollId: created.pollId,
      itemId: item2,
      kind: 'election',
      maxChoices: 2,
      secret: true,
      base: 'present',
      correction: 'final',
      durationSeconds: 120,
      hideTally: true,
      threshold: { num: 1, den: 2, strict: false },
    });
    expect(edited.options.map((o) => o.label)).toEqual(['Lò Văn Páo', 'Giàng Thị Mai', 'Sùng A Tủa']);
    expect((await seen).title).toBe('Bầu Ủy viên Thường trực');

    // Absent itemId keeps the item; invalid settings are refused like on create.
    const kept = ok(await secretary.request('poll:edit', { meetingId, pollId: created.pollId, title: 'Bầu Ủy viên', kind: 'yes_no_abstain' })).poll;
    expect(kept).toMatchObject({ itemId: item2, kind: 'yes_no_abstain', secret: false, durationSeconds: null, hideTally: false });
    expect(errCode(await secretary.request('poll:edit', { meetingId, pollId: created.pollId, title: 'x', kind: 'yes_no_abstain', secret: true, correction: 'change_until_close' }))).toBe(
      'VALIDATION_ERROR',
    );

    // Delegates cannot see drafts of a draft meeting, nor edit or delete.
    expect(errCode(await delegate.request('poll:delete', { meetingId, pollId: created.pollId }))).toBe('NOT_FOUND');

    // Delete: the chair is told, the audit keeps it, the snapshot no longer has it.
    const gone = waitFor<{ meetingId: string; pollId: string }>((l) => chair.on('poll:deleted', l), (d) => d.pollId === created.pollId);
    expect(ok(await secretary.request('poll:delete', { meetingId, pollId: created.pollId })).pollId).toBe(created.pollId);
    await gone;
    expect((await chair.snapshot(meetingId)).polls.find((p) => p.pollId === created.pollId)).toBeUndefined();
    expect(errCode(await secretary.request('poll:delete', { meetingId, pollId: created.pollId }))).toBe('NOT_FOUND');
    const actions = (await srv.server.ctx.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.meetingId, meetingId))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['poll.create', 'poll.edit', 'poll.delete']));
  });

  it('an opened poll can be neither edited nor deleted', async () => {
    const meetingId = f.meetingId;
    await srv.server.ctx.db.update(meetings).set({ status: 'published' }).where(eq(meetings.id, meetingId));
    await chair.join(meetingId);
    ok(await chair.request('meeting:start', { meetingId }));
    const p = ok(await secretary.request('poll:create', { meetingId, itemId: f.itemId, title: 'Thử mở', kind: 'yes_no_abstain' })).poll;
    ok(await chair.request('poll:open', { meetingId, pollId: p.pollId, overrideQuorumReason: 'Kiểm thử' }));
    // Staff see who has not voted yet, by name; delegates may not ask.
    const before = ok(await chair.request('poll:pending', { meetingId, pollId: p.pollId })).notVoted;
    expect(before).toHaveLength(4); // chair + delegate01…03
    await delegate.join(meetingId);
    ok(await delegate.castBallot({ meetingId, pollId: p.pollId, choice: ['yes'] }));
    const after = ok(await secretary.request('poll:pending', { meetingId, pollId: p.pollId })).notVoted;
    expect(after.map((x) => x.userId).sort()).toEqual(before.map((x) => x.userId).filter((id) => id !== f.userIds.get('delegate01')).sort());
    expect(errCode(await delegate.request('poll:pending', { meetingId, pollId: p.pollId }))).toBe('FORBIDDEN');
    expect(errCode(await secretary.request('poll:edit', { meetingId, pollId: p.pollId, title: 'Đổi', kind: 'yes_no_abstain' }))).toBe('INVALID_STATE');
    expect(errCode(await secretary.request('poll:delete', { meetingId, pollId: p.pollId }))).toBe('INVALID_STATE');
    ok(await chair.request('poll:close', { meetingId, pollId: p.pollId }));
  });
});
