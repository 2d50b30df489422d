import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startServer, storages, type TestServer } from '../helpers/server';
import { Api } from '../helpers/http';
import type { RoomClient } from '../../shared/room/client';
import type { MeetingState, SpeakerView } from '../../shared/room/snapshot';
import { speakerRequests } from '../../server/db/schema';
import { connectAs, errCode, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

/** Closing a meeting stops everything live, whichever way it is closed, and every client sees it stop. */
describe.each(storages())('closing a meeting on %s', (storage) => {
  let srv: TestServer;
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
  });
  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    await srv.close();
  });

  /** A running meeting with a current item, a speech under way (with a timer) and a waiting request. */
  async function running(): Promise<{ f: RoomFixture; chair: RoomClient; d1: RoomClient; d2: RoomClient; d3: RoomClient; speech: string; waiting: string }> {
    const f = await roomFixture(srv.server.ctx.db, { delegates: 3 });
    const [chair, d1, d2, d3] = await Promise.all(['chair', 'delegate01', 'delegate02', 'delegate03'].map((u) => connectAs(srv.url, f, u)));
    if (!chair || !d1 || !d2 || !d3) {
      throw new Error('clients not connected');
    }
    clients.push(chair, d1, d2, d3);
    for (const c of [chair, d1, d2, d3]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    ok(await chair.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    const speech = ok(await d1.request('speaker:request', { meetingId: f.meetingId })).requestId;
    const waiting = ok(await d2.request('speaker:request', { meetingId: f.meetingId })).requestId;
    ok(await chair.request('speaker:grant', { meetingId: f.meetingId, requestId: speech, limitSeconds: 120 }));
    const snap = await d3.snapshot(f.meetingId);
    expect(snap.currentItem?.id).toBe(f.itemId);
    expect(snap.speakers.map((s) => [s.requestId, s.status])).toEqual([
      [speech, 'speaking'],
      [waiting, 'waiting'],
    ]);
    return { f, chair, d1, d2, d3, speech, waiting };
  }

  async function expectStopped(r: Awaited<ReturnType<typeof running>>, seen: Promise<[MeetingState, { speakers: SpeakerView[] }]>): Promise<void> {
    const [state, queue] = await seen;
    expect(state).toMatchObject({ status: 'closed', paused: false, currentItemId: null });
    expect(queue.speakers).toEqual([]);
    const rows = await srv.server.ctx.db.select().from(speakerRequests).where(eq(speakerRequests.meetingId, r.f.meetingId));
    const byId = new Map(rows.map((x) => [x.id, x]));
    expect(byId.get(r.speech)).toMatchObject({ status: 'done' });
    expect(byId.get(r.speech)?.endedAt).toBeInstanceOf(Date);
    expect(byId.get(r.waiting)).toMatchObject({ status: 'withdrawn' });
    // Nothing live can restart: check-in, a new request, a current item.
    expect(errCode(await r.d3.request('attendance:checkIn', { meetingId: r.f.meetingId }))).toBe('INVALID_STATE');
    expect(errCode(await r.d3.request('speaker:request', { meetingId: r.f.meetingId }))).toBe('INVALID_STATE');
    expect(errCode(await r.chair.request('agenda:setCurrent', { meetingId: r.f.meetingId, itemId: r.f.itemId }))).toBe('INVALID_STATE');
    expect(errCode(await r.chair.request('speaker:grant', { meetingId: r.f.meetingId, requestId: r.waiting }))).toBe('INVALID_STATE');
    // A client joining afterwards sees the same.
    const snap = await r.d2.snapshot(r.f.meetingId);
    expect(snap.meeting.status).toBe('closed');
    expect(snap.currentItem).toBeNull();
    expect(snap.speakers).toEqual([]);
  }

  const stopSeenBy = (c: RoomClient) =>
    Promise.all([
      waitFor<MeetingState>((l) => c.on('meeting:state', l), (s) => s.status === 'closed'),
      waitFor<{ speakers: SpeakerView[] }>((l) => c.on('speakers:update', l), (u) => u.speakers.length === 0),
    ]);

  it('stops the speech, the queue, the current item and check-in when the chair ends it in the room', async () => {
    const r = await running();
    const seen = stopSeenBy(r.d3);
    const res = ok(await r.chair.request('meeting:end', { meetingId: r.f.meetingId }));
    expect(res.meeting).toMatchObject({ status: 'closed', currentItemId: null });
    await expectStopped(r, seen);
  });

  it('stops the same when the secretariat closes it over REST, and the room is told', async () => {
    const r = await running();
    const seen = stopSeenBy(r.d3);
    const seenBySpeaker = stopSeenBy(r.d1);
    const secretary = new Api(srv.url, await r.f.token('secretary'));
    const res = await secretary.post(`/api/meetings/${r.f.meetingId}/status`, { status: 'closed' });
    expect(res.status).toBe(200);
    await seenBySpeaker;
    await expectStopped(r, seen);
  });
});
