import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { Api, expectError } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { PublicUser } from '../../shared/api/auth';
import { CouncilList, Member, MemberList, MeetingDetail, MeetingList, MeetingSummary } from '../../shared/api/meetings';
import { auditLog, blobs, documents, meetings } from '../../server/db/schema';
import { verifyAudit } from '../../server/audit/log';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(storages())('meetings on %s', (storage) => {
  let srv: TestServer;
  let anon: Api;
  let admin: Api;
  let secretary: Api;
  let chair: Api;
  let delegate: Api;
  let observer: Api;
  let outsider: Api;
  let councilId: string;
  let seededId: string;
  let observerId: string;
  let delegateId: string;

  const db = () => srv.server.ctx.db;
  const lastAudit = async () => (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];

  async function newMeeting(extra: Record<string, unknown> = {}): Promise<MeetingSummary> {
    const r = await secretary.post('/api/meetings', {
      title: 'Kỳ họp chuyên đề',
      body: 'HĐND xã Tà Xùa',
      location: 'Hội trường',
      startsAt: '2026-12-01T08:00:00+07:00',
      councilId,
      ...extra,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return MeetingSummary.parse(r.body);
  }

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    anon = new Api(srv.url);
    [admin, secretary, chair, delegate] = await Promise.all([anon.login('admin'), anon.login('secretary'), anon.login('chair'), anon.login('delegate01')]);
    for (const [username, role] of [
      ['observer1', 'observer'],
      ['outsider1', 'delegate'],
    ] as const) {
      const r = await admin.post('/api/users', { username, displayName: `Người ${username}`, role, password: 'pass-word-1' });
      expect(r.status).toBe(201);
      if (role === 'observer') {
        observerId = PublicUser.parse(r.body).id;
      }
    }
    observer = await anon.login('observer1', 'pass-word-1');
    outsider = await anon.login('outsider1', 'pass-word-1');
    councilId = CouncilList.parse((await secretary.get('/api/councils')).body).councils[0]?.id ?? '';
    const list = MeetingList.parse((await delegate.get('/api/meetings')).body);
    seededId = list.meetings[0]?.id ?? '';
    delegateId = PublicUser.parse((await delegate.get('/api/me')).body).id;
    // The observer follows the seeded meeting as an observer.
    expect((await secretary.put(`/api/meetings/${seededId}/members/${observerId}`, { role: 'observer' })).status).toBe(201);
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('lists only the caller’s meetings; admins see all; outsiders see none', async () => {
    const mine = MeetingList.parse((await delegate.get('/api/meetings')).body).meetings;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: seededId, status: 'published', myRole: 'delegate', myRsvp: 'pending' });
    expect(MeetingList.parse((await outsider.get('/api/meetings')).body).meetings).toEqual([]);
    const all = MeetingList.parse((await admin.get('/api/meetings')).body).meetings;
    expect(all.map((m) => m.id)).toContain(seededId);
    expect(all.find((m) => m.id === seededId)?.myRole).toBeNull();
    await expectError(anon.get('/api/meetings'), 401, 'UNAUTHENTICATED');
    await expectError(delegate.get('/api/meetings?status=bogus'), 400, 'VALIDATION_ERROR', 'status');
  });

  it('creates a draft from a council: members, roles and quorum copied, creator is secretary, audited', async () => {
    const m = await newMeeting({ endsAt: '2026-12-01T17:00:00+07:00' });
    expect(m).toMatchObject({ status: 'draft', councilId, myRole: 'secretary', endsAt: '2026-12-01T10:00:00.000Z' });
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'meeting.created', meetingId: m.id });
    const detail = MeetingDetail.parse((await secretary.get(`/api/meetings/${m.id}`)).body);
    expect(detail.members).toHaveLength(32);
    expect(detail.members[0]).toMatchObject({ username: 'chair', role: 'chair' });
    expect(detail.members.find((x) => x.username === 'secretary')?.role).toBe('secretary');
    expect(detail.members.filter((x) => x.role === 'delegate')).toHaveLength(30);
    expect(detail).toMatchObject({ quorumNum: 2, quorumDen: 3, canManage: true, agenda: [], documents: [] });
    // Drafts: staff see them; delegates do not even learn they exist.
    expect((await chair.get(`/api/meetings/${m.id}`)).status).toBe(200);
    await expectError(delegate.get(`/api/meetings/${m.id}`), 404, 'NOT_FOUND');
    expect(MeetingList.parse((await delegate.get('/api/meetings')).body).meetings.map((x) => x.id)).not.toContain(m.id);
    expect(MeetingList.parse((await chair.get('/api/meetings')).body).meetings.map((x) => x.id)).toContain(m.id);
  });

  it('creates a meeting without a council with only the creator as member', async () => {
    const r = await admin.post('/api/meetings', { title: 'Họp giao ban', body: 'UBND xã', startsAt: '2026-12-02T08:00:00Z' });
    expect(r.status).toBe(201);
    const id = MeetingSummary.parse(r.body).id;
    const members = MemberList.parse((await admin.get(`/api/meetings/${id}/members`)).body).members;
    expect(members.map((x) => [x.username, x.role, x.canRunRoom])).toEqual([['admin', 'secretary', true]]);
  });

  it('rejects bad meeting input with 400 naming the field', async () => {
    const ok = { title: 'T', body: 'B', startsAt: '2026-12-01T08:00:00Z' };
    await expectError(secretary.post('/api/meetings', { ...ok, title: '   ' }), 400, 'VALIDATION_ERROR', 'title');
    await expectError(secretary.post('/api/meetings', { ...ok, startsAt: 'tomorrow' }), 400, 'VALIDATION_ERROR', 'startsAt');
    await expectError(secretary.post('/api/meetings', { ...ok, endsAt: '2026-11-30T08:00:00Z' }), 400, 'VALIDATION_ERROR', 'endsAt');
    await expectError(secretary.post('/api/meetings', { ...ok, councilId: MISSING }), 400, 'VALIDATION_ERROR', 'councilId');
    await expectError(secretary.post('/api/meetings', { ...ok, councilId: 'nope' }), 400, 'VALIDATION_ERROR', 'councilId');
    await expectError(secretary.post('/api/meetings', 'not json at all'), 400, 'VALIDATION_ERROR');
    await expectError(secretary.get('/api/meetings/not-a-uuid'), 400, 'VALIDATION_ERROR', 'id');
    await expectError(secretary.get(`/api/meetings/${MISSING}`), 404, 'NOT_FOUND');
    await expectError(admin.post('/api/councils', { name: 'X', quorumNum: 3, quorumDen: 2 }), 400, 'VALIDATION_ERROR', 'quorumNum');
    await expectError(admin.post('/api/councils', { name: 'X', memberIds: [MISSING] }), 400, 'VALIDATION_ERROR', 'memberIds');
    await expectError(admin.post('/api/councils', { name: '' }), 400, 'VALIDATION_ERROR', 'name');
    await expectError(admin.post('/api/councils', { name: 'X', timeZone: 'Mars/Olympus_Mons' }), 400, 'VALIDATION_ERROR', 'timeZone');
  });

  it('creates and lists councils (admin only)', async () => {
    const r = await admin.post('/api/councils', { name: 'UBND xã Tà Xùa', kind: 'peoples_committee', memberIds: [delegateId, delegateId, observerId] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'UBND xã Tà Xùa', kind: 'peoples_committee', quorumNum: 2, quorumDen: 3, memberCount: 2, timeZone: 'Asia/Ho_Chi_Minh' });
    const abroad = await admin.post('/api/councils', { name: 'Hội đồng thử múi giờ', timeZone: 'Asia/Tokyo' });
    expect(abroad.body).toMatchObject({ timeZone: 'Asia/Tokyo' });
    const list = CouncilList.parse((await chair.get('/api/councils')).body).councils;
    expect(list.find((c) => c.name === 'UBND xã Tà Xùa')?.memberCount).toBe(2);
    expect(list.find((c) => c.id === councilId)?.memberCount).toBe(32);
    await expectError(delegate.get('/api/councils'), 403, 'FORBIDDEN');
    await expectError(secretary.post('/api/councils', { name: 'Y' }), 403, 'FORBIDDEN');
  });

  it('shows detail with readable, non-revoked documents only, and hides others’ absence reasons', async () => {
    const d = db();
    const sha = 'a'.repeat(64);
    await d.insert(blobs).values({ sha256: sha, size: 10 });
    const base = { meetingId: seededId, sha256: sha, size: 10, pages: 1 };
    await d.insert(documents).values([
      { ...base, name: 'cong-khai.pdf', confidentiality: 'public' },
      { ...base, name: 'noi-bo.pdf', confidentiality: 'internal' },
      { ...base, name: 'mat.pdf', confidentiality: 'confidential' },
      { ...base, name: 'thu-hoi.pdf', confidentiality: 'public', revokedAt: new Date() },
    ]);
    // Only the rows inserted here: the demo seed may bring its own documents.
    const mine = new Set(['cong-khai.pdf', 'noi-bo.pdf', 'mat.pdf', 'thu-hoi.pdf']);
    const names = async (api: Api) =>
      MeetingDetail.parse((await api.get(`/api/meetings/${seededId}`)).body)
        .documents.map((x) => x.name)
        .filter((n) => mine.has(n))
        .sort();
    expect(await names(delegate)).toEqual(['cong-khai.pdf', 'mat.pdf', 'noi-bo.pdf']);
    expect(await names(admin)).toEqual(['cong-khai.pdf', 'mat.pdf', 'noi-bo.pdf']);
    expect(await names(observer)).toEqual(['cong-khai.pdf']);
    await expectError(outsider.get(`/api/meetings/${seededId}`), 404, 'NOT_FOUND');

    const r = await delegate.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'absent', reason: 'Đi công tác huyện' });
    expect(r.status).toBe(200);
    expect(Member.parse(r.body)).toMatchObject({ username: 'delegate01', rsvp: 'absent', rsvpReason: 'Đi công tác huyện' });
    const asSeenBy = async (api: Api) =>
      MeetingDetail.parse((await api.get(`/api/meetings/${seededId}`)).body).members.find((x) => x.username === 'delegate01');
    expect((await asSeenBy(secretary))?.rsvpReason).toBe('Đi công tác huyện');
    expect((await asSeenBy(delegate))?.rsvpReason).toBe('Đi công tác huyện');
    expect(await asSeenBy(observer)).toMatchObject({ rsvp: 'absent', rsvpReason: null });
    expect(MeetingDetail.parse((await delegate.get(`/api/meetings/${seededId}`)).body).myRsvp).toBe('absent');
    expect(await lastAudit()).toMatchObject({ action: 'member.rsvp', data: '{"rsvp":"absent","withReason":true}' });
  });

  it('answers RSVP for members only, with a reason when absent', async () => {
    await expectError(delegate.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'absent' }), 400, 'VALIDATION_ERROR', 'reason');
    await expectError(delegate.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'maybe' }), 400, 'VALIDATION_ERROR', 'rsvp');
    await expectError(admin.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'attending' }), 403, 'FORBIDDEN');
    await expectError(outsider.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'attending' }), 404, 'NOT_FOUND');
    const r = await delegate.post(`/api/meetings/${seededId}/rsvp`, { rsvp: 'attending' });
    expect(Member.parse(r.body)).toMatchObject({ rsvp: 'attending', rsvpReason: null });
  });

  it('patches only the fields sent; validates times and quorum', async () => {
    const m = await newMeeting();
    const r = await secretary.patch(`/api/meetings/${m.id}`, { title: 'Kỳ họp bất thường', quorumNum: 1, quorumDen: 2 });
    expect(r.status).toBe(200);
    expect(MeetingSummary.parse(r.body)).toMatchObject({ title: 'Kỳ họp bất thường', location: 'Hội trường', body: 'HĐND xã Tà Xùa' });
    const [row] = await db().select().from(meetings).where(eq(meetings.id, m.id));
    expect(row).toMatchObject({ quorumNum: 1, quorumDen: 2, location: 'Hội trường' });
    expect(await lastAudit()).toMatchObject({ action: 'meeting.updated', data: '{"fields":["quorumDen","quorumNum","title"]}' });
    await expectError(secretary.patch(`/api/meetings/${m.id}`, { quorumNum: 3 }), 400, 'VALIDATION_ERROR', 'quorumNum');
    await expectError(secretary.patch(`/api/meetings/${m.id}`, { endsAt: '2020-01-01T00:00:00Z' }), 400, 'VALIDATION_ERROR', 'endsAt');
    await expectError(secretary.patch(`/api/meetings/${m.id}`, { requireSignedBallots: 'yes' }), 400, 'VALIDATION_ERROR', 'requireSignedBallots');
    await expectError(chair.patch(`/api/meetings/${m.id}`, { title: 'x' }), 403, 'FORBIDDEN');
    await expectError(outsider.patch(`/api/meetings/${m.id}`, { title: 'x' }), 404, 'NOT_FOUND');
  });

  it('walks the life cycle; invalid moves are 409; closed meetings are read-only', async () => {
    const m = await newMeeting();
    const move = (api: Api, status: string) => api.post(`/api/meetings/${m.id}/status`, { status });
    await expectError(move(secretary, 'in_progress'), 409, 'INVALID_STATE');
    await expectError(move(chair, 'published'), 403, 'FORBIDDEN');
    expect((await move(secretary, 'published')).status).toBe(200);
    await expectError(move(delegate, 'in_progress'), 403, 'FORBIDDEN');
    expect((await move(secretary, 'draft')).status).toBe(200);
    expect((await move(secretary, 'published')).status).toBe(200);
    await expectError(move(secretary, 'published'), 409, 'INVALID_STATE');
    await expectError(move(secretary, 'closed'), 409, 'INVALID_STATE');
    await expectError(secretary.delete(`/api/meetings/${m.id}`), 409, 'INVALID_STATE');
    const started = await move(chair, 'in_progress');
    expect(MeetingSummary.parse(started.body)).toMatchObject({ status: 'in_progress', myRole: 'chair' });
    await expectError(move(chair, 'published'), 409, 'INVALID_STATE');
    expect((await move(chair, 'closed')).status).toBe(200);
    expect(await lastAudit()).toMatchObject({ action: 'meeting.status_changed', data: '{"from":"in_progress","to":"closed"}' });
    await expectError(move(secretary, 'draft'), 409, 'INVALID_STATE');
    await expectError(move(secretary, 'bogus'), 400, 'VALIDATION_ERROR', 'status');
    // Read-only once closed, but still readable.
    await expectError(secretary.patch(`/api/meetings/${m.id}`, { title: 'x' }), 409, 'INVALID_STATE');
    await expectError(secretary.post(`/api/meetings/${m.id}/agenda`, { title: 'x', kind: 'report' }), 409, 'INVALID_STATE');
    await expectError(secretary.put(`/api/meetings/${m.id}/members/${observerId}`, { role: 'observer' }), 409, 'INVALID_STATE');
    await expectError(secretary.delete(`/api/meetings/${m.id}/members/${delegateId}`), 409, 'INVALID_STATE');
    await expectError(delegate.post(`/api/meetings/${m.id}/rsvp`, { rsvp: 'attending' }), 409, 'INVALID_STATE');
    await expectError(secretary.put(`/api/meetings/${m.id}/agenda/order`, { items: [] }), 409, 'INVALID_STATE');
    expect(MeetingDetail.parse((await delegate.get(`/api/meetings/${m.id}`)).body).status).toBe('closed');
  });

  it('deletes drafts only, with everything that hangs on them', async () => {
    const m = await newMeeting();
    expect((await secretary.post(`/api/meetings/${m.id}/agenda`, { title: 'Mục 1', kind: 'report' })).status).toBe(201);
    await expectError(chair.delete(`/api/meetings/${m.id}`), 403, 'FORBIDDEN');
    await expectError(delegate.delete(`/api/meetings/${m.id}`), 404, 'NOT_FOUND');
    expect((await secretary.delete(`/api/meetings/${m.id}`)).status).toBe(204);
    expect(await lastAudit()).toMatchObject({ action: 'meeting.deleted', meetingId: m.id });
    await expectError(secretary.get(`/api/meetings/${m.id}`), 404, 'NOT_FOUND');
    await expectError(secretary.delete(`/api/meetings/${m.id}`), 404, 'NOT_FOUND');
  });

  it('adds, changes and removes members', async () => {
    const m = await newMeeting();
    const outsiderId = PublicUser.parse((await outsider.get('/api/me')).body).id;
    const path = `/api/meetings/${m.id}/members/${outsiderId}`;
    const added = await secretary.put(path, { role: 'delegate' });
    expect(added.status).toBe(201);
    expect(Member.parse(added.body)).toMatchObject({ username: 'outsider1', role: 'delegate', rsvp: 'pending', canRunRoom: false });
    expect(await lastAudit()).toMatchObject({ action: 'member.added' });
    const changed = await secretary.put(path, { role: 'observer', canRunRoom: true });
    expect(changed.status).toBe(200);
    expect(Member.parse(changed.body)).toMatchObject({ role: 'observer', canRunRoom: true });
    expect(await lastAudit()).toMatchObject({ action: 'member.updated' });
    expect(MemberList.parse((await chair.get(`/api/meetings/${m.id}/members`)).body).members).toHaveLength(33);
    await expectError(secretary.put(path, { role: 'king' }), 400, 'VALIDATION_ERROR', 'role');
    await expectError(secretary.put(`/api/meetings/${m.id}/members/${MISSING}`, { role: 'delegate' }), 404, 'NOT_FOUND');
    await expectError(secretary.put(`/api/meetings/${m.id}/members/xyz`, { role: 'delegate' }), 400, 'VALIDATION_ERROR', 'userId');
    expect((await secretary.delete(path)).status).toBe(204);
    expect(await lastAudit()).toMatchObject({ action: 'member.removed' });
    await expectError(secretary.delete(path), 404, 'NOT_FOUND');
  });

  it('always keeps at least one secretary: removing or demoting the last one is 409, nothing written', async () => {
    const m = await newMeeting();
    const secretaryId = PublicUser.parse((await secretary.get('/api/me')).body).id;
    const members = async () => MemberList.parse((await delegate.get(`/api/meetings/${m.id}/members`)).body).members;
    const secretaries = async () => (await members()).filter((x) => x.role === 'secretary').map((x) => x.userId);
    // The member list itself: members read it, outsiders get 404.
    expect((await secretary.post(`/api/meetings/${m.id}/status`, { status: 'published' })).status).toBe(200);
    expect(await secretaries()).toEqual([secretaryId]);
    await expectError(outsider.get(`/api/meetings/${m.id}/members`), 404, 'NOT_FOUND');

    const before = await lastAudit();
    await expectError(secretary.delete(`/api/meetings/${m.id}/members/${secretaryId}`), 409, 'CONFLICT', 'last secretary');
    await expectError(admin.put(`/api/meetings/${m.id}/members/${secretaryId}`, { role: 'delegate' }), 409, 'CONFLICT', 'last secretary');
    expect(await secretaries()).toEqual([secretaryId]);
    expect((await lastAudit())?.seq).toBe(before?.seq);
    // Re-stating the role of the last secretary is fine.
    expect((await secretary.put(`/api/meetings/${m.id}/members/${secretaryId}`, { role: 'secretary' })).status).toBe(200);

    // With a second secretary, either may go; then the remaining one is the last again.
    expect((await secretary.put(`/api/meetings/${m.id}/members/${delegateId}`, { role: 'secretary' })).status).toBe(200);
    expect((await secretary.put(`/api/meetings/${m.id}/members/${secretaryId}`, { role: 'delegate' })).status).toBe(200);
    expect(await secretaries()).toEqual([delegateId]);
    await expectError(delegate.delete(`/api/meetings/${m.id}/members/${delegateId}`), 409, 'CONFLICT', 'last secretary');
    expect((await delegate.delete(`/api/meetings/${m.id}/members/${secretaryId}`)).status).toBe(204);
    expect(await secretaries()).toEqual([delegateId]);
  });

  it('rejects an unknown status filter', async () => {
    await expectError(delegate.get('/api/meetings?status=bogus'), 400, 'VALIDATION_ERROR', 'status');
  });

  it('keeps the audit chain valid after all of the above', async () => {
    const result = await verifyAudit(db());
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(20);
  });
});
