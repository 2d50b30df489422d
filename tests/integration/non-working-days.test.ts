import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { councilNonWorkingDays, councils, meetingMembers, meetings, users } from '../../server/db/schema';
import { ConclusionNoticeState } from '../../shared/api/conclusion-notice';
import { NonWorkingDayList } from '../../shared/api/non-working-days';
import { ErrorResponse } from '../../shared/errors';

/** A council's non-working days: kept by its secretariat, read by its members, skipped by the notice deadline. */
describe.each(storages())('non-working days on %s', (storage) => {
  let srv: TestServer;
  let councilId = '';
  let meetingId = '';
  let admin: Api;
  let secretary: Api;
  let delegate: Api;
  let observer: Api;
  const db = () => srv.server.ctx.db;
  const path = () => `/api/councils/${councilId}/non-working-days`;
  const message = (body: unknown) => ErrorResponse.parse(body).error.message;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const [council] = await db().select({ id: councils.id }).from(councils).limit(1);
    councilId = council?.id ?? '';
    // Closed at 20:00 UTC on Monday 1 Feb 2027: Tuesday 2 Feb in Hanoi, the week before Tết Đinh Mùi.
    const [m] = await db()
      .insert(meetings)
      .values({ councilId, title: 'Kỳ họp trước Tết', body: 'HĐND', startsAt: new Date('2027-02-01T01:00:00Z'), status: 'closed', closedAt: new Date('2027-02-01T20:00:00Z') })
      .returning();
    meetingId = m?.id ?? '';
    const [sec] = await db().select({ id: users.id }).from(users).where(eq(users.username, 'secretary'));
    await db().insert(meetingMembers).values({ meetingId, userId: sec?.id ?? '', role: 'secretary' });
    const api = new Api(srv.url);
    [admin, secretary, delegate, observer] = await Promise.all([api.login('admin'), api.login('secretary'), api.login('delegate01'), api.login('observer01')]);
  });
  afterAll(async () => {
    await srv?.close();
  });

  const deadline = async () => {
    const r = await secretary.get(`/api/meetings/${meetingId}/conclusion-notice`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return ConclusionNoticeState.parse(r.body).deadline;
  };

  it('are entered by the secretariat, and the notice deadline skips them', async () => {
    const empty = NonWorkingDayList.parse((await secretary.get(path())).body);
    expect(empty).toMatchObject({ councilId, days: [], canEdit: true });
    expect(empty.fixed.map((h) => `${h.day}/${h.month}`)).toEqual(['1/1', '30/4', '1/5', '2/9']);
    expect(await deadline()).toBe('2027-02-09'); // weekdays only: Wed 3 … Tue 9

    const tet = ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'].map((date) => ({ date, name: 'Tết Nguyên đán' }));
    const added = await secretary.post(path(), { days: tet });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(NonWorkingDayList.parse(added.body).days.map((d) => d.date)).toEqual(tet.map((d) => d.date));
    // Wed 3, then Thu 4 – Wed 10 off: Thu 11, Fri 12, Mon 15, Tue 16.
    expect(await deadline()).toBe('2027-02-16');

    // The same date again renames it; another year's Giỗ Tổ is listed under its year.
    expect((await admin.post(path(), { days: [{ date: '2027-02-10', name: 'Nghỉ bù Tết' }, { date: '2028-04-04', name: 'Giỗ Tổ Hùng Vương' }] })).status).toBe(200);
    const y2027 = NonWorkingDayList.parse((await delegate.get(`${path()}?year=2027`)).body);
    expect(y2027.canEdit).toBe(false);
    expect(y2027.days).toHaveLength(5);
    expect(y2027.days.find((d) => d.date === '2027-02-10')?.name).toBe('Nghỉ bù Tết');

    const removed = await secretary.delete(`${path()}/2027-02-10`);
    expect(removed.status).toBe(200);
    expect(await deadline()).toBe('2027-02-15');
    expect((await secretary.delete(`${path()}/2027-02-10`)).status).toBe(404);
  });

  it('refuses bad input whole, with a clear message, and writes nothing', async () => {
    const before = await db().select().from(councilNonWorkingDays).where(eq(councilNonWorkingDays.councilId, councilId));
    const impossible = await secretary.post(path(), { days: [{ date: '2027-03-01', name: 'ok' }, { date: '2027-02-30', name: 'no such day' }] });
    expect(impossible.status).toBe(400);
    expect(errorCode(impossible.body)).toBe('VALIDATION_ERROR');
    expect(message(impossible.body)).toMatch(/days\.1\.date.*YYYY-MM-DD/);
    const twice = await secretary.post(path(), { days: [{ date: '2027-03-01' }, { date: '2027-03-01' }] });
    expect(message(twice.body)).toMatch(/twice/);
    expect((await secretary.post(path(), { days: [{ date: '2027-03-01', extra: true }] })).status).toBe(400);
    expect((await secretary.post(path(), { days: [{ date: '2027-03-01', name: 'x'.repeat(201) }] })).status).toBe(400);
    expect((await secretary.get(`${path()}?year=1800`)).status).toBe(400);
    expect((await secretary.delete(`${path()}/not-a-date`)).status).toBe(400);
    const after = await db().select().from(councilNonWorkingDays).where(eq(councilNonWorkingDays.councilId, councilId));
    expect(after).toEqual(before);
  });

  it('are kept by admins and the secretariat only, and hidden from non-members', async () => {
    const denied = await delegate.post(path(), { days: [{ date: '2027-03-02' }] });
    expect(denied.status).toBe(403);
    expect((await delegate.delete(`${path()}/2027-02-04`)).status).toBe(403);
    // observer01 is not a member of the council: as if it did not exist.
    expect((await observer.get(path())).status).toBe(404);
    expect((await observer.post(path(), { days: [{ date: '2027-03-02' }] })).status).toBe(404);
    expect((await admin.get('/api/councils/00000000-0000-4000-8000-000000000000/non-working-days')).status).toBe(404);
    const rows = await db().select().from(councilNonWorkingDays).where(eq(councilNonWorkingDays.day, '2027-03-02'));
    expect(rows).toEqual([]);
  });
});
