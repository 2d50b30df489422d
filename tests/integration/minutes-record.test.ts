import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import { Api } from '../helpers/http';
import type { RoomClient } from '../../shared/room/client';
import { agendaItems, auditLog, meetings } from '../../server/db/schema';
import { verifyAudit } from '../../server/audit/log';
import { listConclusions } from '../../server/minutes/conclusions';
import { ConclusionList, PutConclusionResponse, Speech, SpeechList } from '../../shared/api/minutes';
import { ErrorResponse } from '../../shared/errors';
import { connectAs, ok, roomFixture, type RoomFixture } from './room-helpers';

/** The record behind the minutes: speaking turns from the room's floor and by hand, and the chair's conclusions. */
describe.each(storages())('speeches and conclusions on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chairRoom: RoomClient;
  let d1Room: RoomClient;
  let d2Room: RoomClient;
  let chair: Api;
  let secretary: Api;
  let delegate: Api;
  let observer: Api;
  let outsider: Api;
  let subItemId = '';
  let secondItemId = '';

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const db = srv.server.ctx.db;
    f = await roomFixture(db, { delegates: 3 });
    const [sub] = await db.insert(agendaItems).values({ meetingId: f.meetingId, parentId: f.itemId, position: 0, title: 'Tờ trình chi tiết', kind: 'report' }).returning();
    const [second] = await db.insert(agendaItems).values({ meetingId: f.meetingId, position: 2, title: 'Bầu Phó Chủ tịch', kind: 'election' }).returning();
    subItemId = sub?.id ?? '';
    secondItemId = second?.id ?? '';
    const api = new Api(srv.url);
    [chair, secretary, delegate] = await Promise.all([api.login('chair'), api.login('secretary'), api.login('delegate01')]);
    observer = api.withToken(await f.token('room-observer'));
    outsider = api.withToken(await f.token('outsider'));
    [chairRoom, d1Room, d2Room] = await Promise.all([connectAs(srv.url, f, 'chair'), connectAs(srv.url, f, 'delegate01'), connectAs(srv.url, f, 'delegate02')]);
    await Promise.all([chairRoom.join(f.meetingId), d1Room.join(f.meetingId), d2Room.join(f.meetingId)]);
  });
  afterAll(async () => {
    for (const c of [chairRoom, d1Room, d2Room]) {
      c.close();
    }
    await srv.close();
  });

  const speeches = async (who: Api) => {
    const r = await who.get(`/api/meetings/${f.meetingId}/speeches`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return SpeechList.parse(r.body).speeches;
  };
  const message = (body: unknown) => ErrorResponse.parse(body).error.message;

  it('records nothing before the meeting starts', async () => {
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'Sớm quá' })).status).toBe(409);
    expect((await secretary.post(`/api/meetings/${f.meetingId}/speeches`, { userId: f.userIds.get('delegate01') })).status).toBe(409);
  });

  it('records a turn when the chair gives the floor, ends it when the floor ends or passes to the next speaker', async () => {
    ok(await chairRoom.request('meeting:start', { meetingId: f.meetingId }));
    const [m] = await srv.server.ctx.db.select({ startedAt: meetings.startedAt }).from(meetings).where(eq(meetings.id, f.meetingId));
    expect(m?.startedAt).toBeInstanceOf(Date);
    ok(await chairRoom.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    const a = ok(await d1Room.request('speaker:request', { meetingId: f.meetingId }));
    const b = ok(await d2Room.request('speaker:request', { meetingId: f.meetingId, itemId: secondItemId }));
    expect(await speeches(secretary)).toEqual([]); // asking is not speaking
    ok(await chairRoom.request('speaker:grant', { meetingId: f.meetingId, requestId: a.requestId }));
    const [first] = await speeches(secretary);
    expect(first).toMatchObject({ userId: f.userIds.get('delegate01'), agendaItemId: f.itemId, endedAt: null, summary: '', source: 'floor' });
    ok(await chairRoom.request('speaker:grant', { meetingId: f.meetingId, requestId: b.requestId }));
    const two = await speeches(secretary);
    expect(two.map((s) => [s.userId, s.agendaItemId, s.endedAt !== null])).toEqual([
      [f.userIds.get('delegate01'), f.itemId, true],
      [f.userIds.get('delegate02'), secondItemId, false],
    ]);
    ok(await chairRoom.request('speaker:end', { meetingId: f.meetingId, requestId: b.requestId }));
    expect((await speeches(secretary)).every((s) => s.endedAt !== null)).toBe(true);
  });

  it('lets the secretary and the chair write summaries; refuses bad input and everyone else', async () => {
    const [first] = await speeches(secretary);
    const path = `/api/meetings/${f.meetingId}/speeches/${first?.id ?? ''}`;
    const r = await secretary.patch(path, { summary: '  Đề nghị tăng chi cho giáo dục.  ' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Speech.parse(r.body).summary).toBe('Đề nghị tăng chi cho giáo dục.');
    expect((await chair.put(path, { summary: 'Đề nghị tăng chi cho giáo dục và y tế.' })).status).toBe(200);
    expect((await delegate.patch(path, { summary: 'Tôi tự tóm tắt' })).status).toBe(403);
    expect((await observer.patch(path, { summary: 'x' })).status).toBe(403);
    expect((await outsider.patch(path, { summary: 'x' })).status).toBe(404);
    const long = await secretary.patch(path, { summary: 'a'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(message(long.body)).toContain('at most 5000 characters');
    expect((await secretary.patch(path, { summary: 'ok', userId: f.userIds.get('chair') })).status).toBe(400); // strict
    expect((await secretary.patch(path, { summary: 42 })).status).toBe(400);
    expect((await secretary.patch(`/api/meetings/${f.meetingId}/speeches/not-a-uuid`, { summary: 'x' })).status).toBe(400);
    expect((await secretary.patch(`/api/meetings/${f.meetingId}/speeches/${crypto.randomUUID()}`, { summary: 'x' })).status).toBe(404);
    expect((await speeches(delegate))[0]?.summary).toBe('Đề nghị tăng chi cho giáo dục và y tế.'); // members read
    expect((await observer.get(`/api/meetings/${f.meetingId}/speeches`)).status).toBe(403);
    expect((await outsider.get(`/api/meetings/${f.meetingId}/speeches`)).status).toBe(404);
  });

  it('adds a turn by hand (a speaker the room did not record), checking speaker, item and times', async () => {
    const path = `/api/meetings/${f.meetingId}/speeches`;
    const before = (await speeches(secretary)).length;
    expect((await secretary.post(path, { userId: f.userIds.get('outsider') })).status).toBe(400); // not a member
    expect((await secretary.post(path, { userId: f.userIds.get('delegate03'), agendaItemId: crypto.randomUUID() })).status).toBe(404);
    const backwards = await secretary.post(path, { userId: f.userIds.get('delegate03'), startedAt: '2026-12-01T09:10:00+07:00', endedAt: '2026-12-01T09:00:00+07:00' });
    expect(backwards.status).toBe(400);
    expect(message(backwards.body)).toContain('endedAt');
    expect((await delegate.post(path, { userId: f.userIds.get('delegate01') })).status).toBe(403);
    expect((await secretary.post(path, { userId: f.userIds.get('delegate03'), summary: 'x'.repeat(5001) })).status).toBe(400);
    expect((await speeches(secretary)).length).toBe(before); // nothing half-written
    const r = await secretary.post(path, { userId: f.userIds.get('delegate03'), agendaItemId: subItemId, startedAt: '2026-12-01T09:00:00+07:00', endedAt: '2026-12-01T09:05:00+07:00', summary: 'Nhất trí với tờ trình.' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(Speech.parse(r.body)).toMatchObject({ agendaItemId: subItemId, source: 'manual', startedAt: '2026-12-01T02:00:00.000Z', endedAt: '2026-12-01T02:05:00.000Z' });
    // Omitted item: the one the room follows now.
    const now = Speech.parse((await chair.post(path, { userId: f.userIds.get('chair') })).body);
    expect(now).toMatchObject({ agendaItemId: f.itemId, endedAt: null });
  });

  it("records the chair's conclusion per item, in agenda order; empty text removes it", async () => {
    const put = (who: Api, itemId: string, text: unknown) => who.put(`/api/meetings/${f.meetingId}/agenda/${itemId}/conclusion`, { text });
    const second = await put(chair, secondItemId, 'Hội đồng thống nhất giới thiệu ông A.');
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(PutConclusionResponse.parse(second.body).conclusion).toMatchObject({ position: '2', title: 'Bầu Phó Chủ tịch' });
    expect((await put(secretary, subItemId, 'Giao UBND hoàn thiện tờ trình.')).status).toBe(200);
    expect((await put(chair, f.itemId, 'Tạm giữ')).status).toBe(200);
    expect((await put(chair, f.itemId, '  Thông qua dự toán, giao Thường trực theo dõi.  ')).status).toBe(200);
    expect((await put(delegate, f.itemId, 'Tôi kết luận')).status).toBe(403);
    expect((await put(observer, f.itemId, 'x')).status).toBe(403);
    expect((await outsider.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'x' })).status).toBe(404);
    const long = await put(chair, f.itemId, 'a'.repeat(5001));
    expect(long.status).toBe(400);
    expect(message(long.body)).toContain('at most 5000 characters');
    expect((await put(chair, f.itemId, null)).status).toBe(400);
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'x', extra: true })).status).toBe(400);
    expect((await put(chair, crypto.randomUUID(), 'x')).status).toBe(404);
    const list = ConclusionList.parse((await delegate.get(`/api/meetings/${f.meetingId}/conclusions`)).body).conclusions;
    expect(list.map((c) => [c.position, c.text])).toEqual([
      ['1', 'Thông qua dự toán, giao Thường trực theo dõi.'],
      ['1.1', 'Giao UBND hoàn thiện tờ trình.'],
      ['2', 'Hội đồng thống nhất giới thiệu ông A.'],
    ]);
    expect(await listConclusions(srv.server.ctx.db, f.meetingId)).toEqual(list);
    expect((await observer.get(`/api/meetings/${f.meetingId}/conclusions`)).status).toBe(403);
    const removed = await put(chair, subItemId, '   ');
    expect(PutConclusionResponse.parse(removed.body).conclusion).toBeNull();
    expect((await listConclusions(srv.server.ctx.db, f.meetingId)).map((c) => c.position)).toEqual(['1', '2']);
  });

  it('ends open turns when the meeting closes; the record stays editable after it, every change audited', async () => {
    ok(await chairRoom.request('meeting:end', { meetingId: f.meetingId }));
    const all = await speeches(secretary);
    expect(all.every((s) => s.endedAt !== null)).toBe(true);
    const last = all[all.length - 1];
    expect((await secretary.patch(`/api/meetings/${f.meetingId}/speeches/${last?.id ?? ''}`, { summary: 'Chủ tọa tóm tắt ý kiến.' })).status).toBe(200);
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${subItemId}/conclusion`, { text: 'Bổ sung sau kỳ họp.' })).status).toBe(200);
    const actions = (await srv.server.ctx.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.meetingId, f.meetingId))).map((a) => a.action);
    for (const a of ['speech.summary', 'speech.added', 'conclusion.set', 'conclusion.removed']) {
      expect(actions).toContain(a);
    }
    expect((await verifyAudit(srv.server.ctx.db)).ok).toBe(true);
  });
});
