import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import { RoomSnapshot } from '../../shared/room/snapshot';
import type { MeetingState } from '../../shared/room/snapshot';
import { verifyAudit } from '../../server/audit/log';
import { connectAs, delegates, errCode, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

describe.each(storages())('room flow on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let secretary: RoomClient;
  let d1: RoomClient;
  let d2: RoomClient;
  const extra: RoomClient[] = [];

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    chair = await connectAs(srv.url, f, 'chair');
    secretary = await connectAs(srv.url, f, 'secretary');
    d1 = await connectAs(srv.url, f, 'delegate01');
  });
  afterAll(async () => {
    for (const c of [chair, secretary, d1, ...extra]) {
      c.close();
    }
    await srv.close();
  });

  it('refuses a handshake without a valid token', async () => {
    const s = io(srv.url, { transports: ['websocket'], auth: { token: 'x'.repeat(43) }, reconnection: false });
    const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
    expect(err.message).toBe('UNAUTHENTICATED');
    s.close();
  });

  it('joins members only and gives a full snapshot', async () => {
    const snap = RoomSnapshot.parse(await d1.join(f.meetingId));
    expect(snap.meeting.status).toBe('published');
    expect(snap.me).toMatchObject({ role: 'delegate', canVote: true, canRunRoom: false });
    // a delegate's snapshot carries the counts (quorum) and their own entry, not the list.
    expect(snap.attendanceScope).toBe('self');
    expect(snap.attendance.map((a) => a.userId)).toEqual([f.userIds.get('delegate01')]);
    expect(snap.quorum).toMatchObject({ present: 0, total: 31, required: 21, met: false });
    const full = await chair.join(f.meetingId);
    expect(full.attendanceScope).toBe('all');
    expect(full.attendance).toHaveLength(33); // chair, secretary, observer, 30 delegates (our fixture meeting)
    expect(full.quorum).toEqual(snap.quorum);
    expect(snap.agenda.map((a) => a.id)).toEqual([f.itemId]);
    const outsider = await connectAs(srv.url, f, 'outsider');
    extra.push(outsider);
    expect(errCode(await outsider.request('meeting:join', { meetingId: f.meetingId }))).toBe('NOT_FOUND');
    const admin = await connectAs(srv.url, f, 'admin');
    extra.push(admin);
    expect(errCode(await admin.request('meeting:join', { meetingId: f.meetingId }))).toBe('NOT_FOUND');
    expect((await chair.join(f.meetingId)).me.canRunRoom).toBe(true);
    expect((await secretary.join(f.meetingId)).me.canRunRoom).toBe(true);
  });

  it('runs the meeting: start, current item, pause, resume; everyone follows', async () => {
    const seen = waitFor<MeetingState>((l) => d1.on('meeting:state', l), (s) => s.status === 'in_progress');
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    expect((await seen).paused).toBe(false);
    expect(errCode(await chair.request('meeting:start', { meetingId: f.meetingId }))).toBe('INVALID_STATE');
    const item = waitFor<MeetingState>((l) => d1.on('meeting:state', l), (s) => s.currentItemId === f.itemId);
    ok(await secretary.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    await item;
    expect(errCode(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.meetingId }))).toBe('NOT_FOUND');
    expect(ok(await chair.request('meeting:pause', { meetingId: f.meetingId })).meeting.paused).toBe(true);
    expect(errCode(await chair.request('meeting:pause', { meetingId: f.meetingId }))).toBe('INVALID_STATE');
    expect(ok(await chair.request('meeting:resume', { meetingId: f.meetingId })).meeting.paused).toBe(false);
    expect(errCode(await d1.request('meeting:pause', { meetingId: f.meetingId }))).toBe('FORBIDDEN');
  });

  it('checks in, marks absent with a reason, and tracks quorum live', async () => {
    const upd = waitFor<{ entry: { userId: string } }>((l) => chair.on('attendance:update', l), (u) => u.entry.userId === f.userIds.get('delegate01'));
    const r = ok(await d1.request('attendance:checkIn', { meetingId: f.meetingId }));
    expect(r.entry).toMatchObject({ present: true, source: 'self' });
    expect(r.quorum.present).toBe(1);
    await upd;
    // 20 check in: 21 of 31 present meets ≥ 2/3 exactly at 21.
    const others = await Promise.all(delegates(19, 2).map((u) => connectAs(srv.url, f, u)));
    extra.push(...others);
    d2 = others[0] as RoomClient;
    for (const c of others) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
    const before = ok(await chair.request('attendance:checkIn', { meetingId: f.meetingId }));
    expect(before.quorum).toMatchObject({ present: 21, required: 21, met: true });
    const absent = ok(
      await secretary.request('attendance:mark', { meetingId: f.meetingId, userId: f.userIds.get('delegate02') ?? '', present: false, reason: 'Ốm' }),
    );
    expect(absent.entry).toMatchObject({ present: false, reason: 'Ốm', source: 'staff' });
    expect(absent.quorum).toMatchObject({ present: 20, met: false });
    ok(await secretary.request('attendance:mark', { meetingId: f.meetingId, userId: f.userIds.get('delegate02') ?? '', present: true }));
    expect(errCode(await d1.request('attendance:mark', { meetingId: f.meetingId, userId: f.userIds.get('delegate03') ?? '', present: false }))).toBe('FORBIDDEN');
    const snap = await d1.snapshot(f.meetingId);
    expect(snap.quorum).toMatchObject({ present: 21, met: true });
  });

  it('queues speakers: request, reorder, grant with a limit, end, withdraw', async () => {
    const a = ok(await d1.request('speaker:request', { meetingId: f.meetingId }));
    const again = ok(await d1.request('speaker:request', { meetingId: f.meetingId }));
    expect(again.requestId).toBe(a.requestId);
    const b = ok(await d2.request('speaker:request', { meetingId: f.meetingId, itemId: f.itemId }));
    let snap = await d1.snapshot(f.meetingId);
    expect(snap.speakers.map((s) => s.requestId)).toEqual([a.requestId, b.requestId]);
    ok(await chair.request('speaker:reorder', { meetingId: f.meetingId, order: [b.requestId] }));
    snap = await d1.snapshot(f.meetingId);
    expect(snap.speakers.map((s) => s.requestId)).toEqual([b.requestId, a.requestId]);
    const queue = waitFor<{ speakers: { status: string }[] }>((l) => d1.on('speakers:update', l), (u) => u.speakers[0]?.status === 'speaking');
    ok(await chair.request('speaker:grant', { meetingId: f.meetingId, requestId: b.requestId, limitSeconds: 120 }));
    expect((await queue).speakers[0]).toMatchObject({ status: 'speaking', limitSeconds: 120 });
    expect(errCode(await d1.request('speaker:grant', { meetingId: f.meetingId, requestId: a.requestId }))).toBe('FORBIDDEN');
    expect(errCode(await d2.request('speaker:withdraw', { meetingId: f.meetingId, requestId: a.requestId }))).toBe('FORBIDDEN');
    ok(await chair.request('speaker:end', { meetingId: f.meetingId, requestId: b.requestId }));
    ok(await d1.request('speaker:withdraw', { meetingId: f.meetingId, requestId: a.requestId }));
    snap = await d1.snapshot(f.meetingId);
    expect(snap.speakers).toEqual([]);
  });

  it('recovers a dropped connection: missed events arrive, no reload needed', async () => {
    const snaps: unknown[] = [];
    const offSnap = d1.onSnapshot((s) => snaps.push(s));
    const reconnected = new Promise<void>((resolve) => d1.socket.once('connect', () => resolve()));
    const dropped = new Promise<void>((resolve) => d1.socket.once('disconnect', () => resolve()));
    // Drop the transport (as a Wi-Fi loss would); the client reconnects by itself.
    d1.socket.io.engine.close();
    await dropped;
    const missed = waitFor<MeetingState>((l) => d1.on('meeting:state', l), (s) => s.currentItemId === null);
    ok(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: null }));
    await reconnected;
    expect(d1.socket.recovered).toBe(true);
    // The event sent while the client was away is delivered after recovery.
    expect((await missed).currentItemId).toBeNull();
    offSnap();
    expect(snaps).toEqual([]);
  });

  it('ends the meeting and keeps a verifiable audit chain', async () => {
    ok(await chair.request('meeting:end', { meetingId: f.meetingId }));
    expect(errCode(await d1.request('attendance:checkIn', { meetingId: f.meetingId }))).toBe('INVALID_STATE');
    const audit = await verifyAudit(srv.server.ctx.db);
    expect(audit.ok).toBe(true);
    expect(audit.entries).toBeGreaterThan(25);
  });
});
