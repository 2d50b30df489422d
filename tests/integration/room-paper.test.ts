import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { PollView } from '../../shared/room/events';
import { auditLog, paperResults, polls } from '../../server/db/schema';
import { verifyAudit } from '../../server/audit/log';
import { connectAs, errCode, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

// Secret personnel elections counted on paper: the secretary enters the counting committee's figures.
describe.each(storages())('paper-counted polls on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let secretary: RoomClient;
  let delegate: RoomClient;
  let observer: RoomClient;

  const election = async (title: string): Promise<PollView> =>
    ok(
      await secretary.request('poll:create', {
        meetingId: f.meetingId,
        title,
        kind: 'election',
        candidates: ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'],
        maxChoices: 2,
        secret: true,
      }),
    ).poll;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 6 });
    chair = await connectAs(srv.url, f, 'chair');
    secretary = await connectAs(srv.url, f, 'secretary');
    delegate = await connectAs(srv.url, f, 'delegate01');
    observer = await connectAs(srv.url, f, 'room-observer');
    for (const c of [chair, secretary, delegate, observer]) {
      await c.join(f.meetingId);
    }
  });
  afterAll(async () => {
    for (const c of [chair, secretary, delegate, observer]) {
      c.close();
    }
    await srv.close();
  });

  it('is refused before the meeting is in progress', async () => {
    const p = await election('Bầu trước giờ họp');
    const res = await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, issued: 3, returned: 3, invalid: 0, counts: { c0: 3 } });
    expect(errCode(res)).toBe('INVALID_STATE');
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
  });

  it('refuses impossible figures with a clear message and writes nothing', async () => {
    const p = await election('Bầu Phó Chủ tịch');
    const bad: [Record<string, unknown>, string][] = [
      [{ issued: 5, returned: 6, invalid: 0, counts: {} }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 6, counts: {} }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 0, counts: { c9: 1 } }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 1, counts: { c0: 5 } }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 1, counts: { c0: 4, c1: 4, c2: 1 } }, 'VALIDATION_ERROR'],
      [{ issued: 500, returned: 5, invalid: 0, counts: {} }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 0, counts: { c0: -1 } }, 'VALIDATION_ERROR'],
      [{ issued: 5, returned: 5, invalid: 0, counts: { c0: 1 }, extra: true }, 'VALIDATION_ERROR'],
    ];
    for (const [figures, code] of bad) {
      const res = await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, ...figures } as never);
      expect(errCode(res), JSON.stringify(figures)).toBe(code);
      expect(res.ok ? '' : res.error.message.length).toBeGreaterThan(10);
    }
    const [row] = await srv.server.ctx.db.select().from(polls).where(eq(polls.id, p.pollId));
    expect(row?.status).toBe('draft');
    expect(await srv.server.ctx.db.select().from(paperResults).where(eq(paperResults.pollId, p.pollId))).toHaveLength(0);
    // A delegate may not enter figures at all.
    expect(errCode(await delegate.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, issued: 1, returned: 1, invalid: 0, counts: { c0: 1 } }))).toBe(
      'FORBIDDEN',
    );
  });

  it('closes the poll with the figures, marked as entered by hand, audited, shown like other results', async () => {
    const p = await election('Bầu Ủy viên Ủy ban');
    const seenByDelegate = waitFor<PollView>((l) => delegate.on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'closed');
    const seenByObserver = waitFor<PollView>((l) => observer.on('poll:update', l), (v) => v.pollId === p.pollId && v.status === 'closed');
    // 7 voting members (chair + 6 delegates): 7 issued, 7 returned, 1 invalid → 6 valid ballots, up to 2 names each.
    const figures = { issued: 7, returned: 7, invalid: 1, counts: { c0: 5, c1: 4, c2: 2 }, note: 'Biên bản kiểm phiếu số 03, Ban kiểm phiếu: ông A, bà B' };
    const closed = ok(await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, ...figures })).poll;
    expect(closed.status).toBe('closed');
    expect(closed.paper).toMatchObject({ issued: 7, returned: 7, invalid: 1, note: figures.note });
    expect(closed.paper?.enteredBy).toBeTruthy();
    expect(closed.result).toMatchObject({ counts: { c0: 5, c1: 4, c2: 2 }, cast: 6, named: null, notVoted: [] });
    for (const seen of [await seenByDelegate, await seenByObserver]) {
      expect(seen.paper).toMatchObject({ issued: 7, invalid: 1 });
      expect(seen.result?.counts).toEqual({ c0: 5, c1: 4, c2: 2 });
    }
    // A rejoin (snapshot) shows the same.
    const snap = await delegate.join(f.meetingId);
    expect(snap.polls.find((x) => x.pollId === p.pollId)?.paper).toMatchObject({ returned: 7 });
    // Entered once: a second entry is refused, the figures stay.
    expect(errCode(await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, ...figures, counts: { c0: 6 } }))).toBe('INVALID_STATE');
    const audit = await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'poll.paper_result'));
    expect(audit).toHaveLength(1);
    expect((await verifyAudit(srv.server.ctx.db)).ok).toBe(true);
  });

  it('checks a resolution counted on paper adds up to the valid ballots', async () => {
    const p = ok(await secretary.request('poll:create', { meetingId: f.meetingId, title: 'Biểu quyết bằng phiếu giấy', kind: 'yes_no_abstain', secret: true })).poll;
    expect(errCode(await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, issued: 6, returned: 6, invalid: 0, counts: { yes: 5 } }))).toBe(
      'VALIDATION_ERROR',
    );
    const closed = ok(await secretary.request('poll:paper', { meetingId: f.meetingId, pollId: p.pollId, issued: 6, returned: 6, invalid: 0, counts: { yes: 5, no: 1 } })).poll;
    expect(closed.result).toMatchObject({ counts: { yes: 5, no: 1, abstain: 0 }, cast: 6 });
  });
});
