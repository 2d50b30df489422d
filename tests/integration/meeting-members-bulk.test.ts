import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { AddCouncilMembersResponse, BulkRoleResponse, CouncilList, MemberList, MeetingSummary } from '../../shared/api/meetings';
import { auditLog, councilMembers, meetingMembers } from '../../server/db/schema';

/** Secretariat productivity: a whole council in one action, several roles at once, sane meeting times. */
describe.each(storages())('members in bulk on %s', (storage) => {
  let srv: TestServer;
  let secretary: Api;
  let delegate: Api;
  let councilId: string;
  const db = () => srv.server.ctx.db;
  const lastAudit = async () => (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    [secretary, delegate] = await Promise.all([anon.login('secretary'), anon.login('delegate01')]);
    councilId = CouncilList.parse((await secretary.get('/api/councils')).body).councils[0]?.id ?? '';
  });
  afterAll(async () => {
    await srv?.close();
  });

  async function bareMeeting(): Promise<string> {
    const r = await secretary.post('/api/meetings', { title: 'Phiên chuyên đề', body: 'HĐND xã', startsAt: '2026-12-20T08:00:00+07:00', endsAt: '2026-12-20T11:30:00+07:00' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return MeetingSummary.parse(r.body).id;
  }
  const members = async (id: string) => MemberList.parse((await secretary.get(`/api/meetings/${id}/members`)).body).members;

  it('refuses a meeting that ends when or before it starts, naming the field', async () => {
    for (const endsAt of ['2026-12-20T08:00:00+07:00', '2026-12-20T07:00:00+07:00']) {
      const r = await secretary.post('/api/meetings', { title: 'x', body: 'y', startsAt: '2026-12-20T08:00:00+07:00', endsAt });
      expect(r.status).toBe(400);
      expect(errorCode(r.body)).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(r.body)).toContain('endsAt');
    }
  });

  it('adds a whole council in one action, skipping who is already in, audited once', async () => {
    const id = await bareMeeting();
    const inCouncil = await db().select({ userId: councilMembers.userId }).from(councilMembers).where(eq(councilMembers.councilId, councilId));
    expect(inCouncil.length).toBeGreaterThan(3);
    const before = await members(id);
    const r = await secretary.post(`/api/meetings/${id}/members/from-council`, { councilId });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const res = AddCouncilMembersResponse.parse(r.body);
    const after = await members(id);
    expect(after.length).toBe(before.length + res.added);
    expect(res.added + res.skipped).toBe(inCouncil.length);
    // The creator keeps being the secretary; a chair account sits as chair.
    expect(after.find((m) => m.username === 'secretary')?.role).toBe('secretary');
    expect(after.find((m) => m.username === 'chair')?.role).toBe('chair');
    expect(await lastAudit()).toMatchObject({ action: 'member.added_from_council', meetingId: id });
    const again = AddCouncilMembersResponse.parse((await secretary.post(`/api/meetings/${id}/members/from-council`, { councilId })).body);
    expect(again).toEqual({ added: 0, skipped: inCouncil.length });
    expect((await members(id)).length).toBe(after.length);
    // Bad input, strangers, unknown councils: clear errors, nothing added.
    expect(errorCode((await secretary.post(`/api/meetings/${id}/members/from-council`, { councilId: 'x' })).body)).toBe('VALIDATION_ERROR');
    const missing = await secretary.post(`/api/meetings/${id}/members/from-council`, { councilId: '00000000-0000-4000-8000-000000000000' });
    expect([missing.status, errorCode(missing.body)]).toEqual([404, 'NOT_FOUND']);
    const refused = await delegate.post(`/api/meetings/${id}/members/from-council`, { councilId });
    expect(refused.status).toBe(404);
  });

  it('changes several members’ role at once, all or nothing', async () => {
    const id = await bareMeeting();
    await secretary.post(`/api/meetings/${id}/members/from-council`, { councilId });
    const all = await members(id);
    const delegates = all.filter((m) => m.role === 'delegate').slice(0, 3).map((m) => m.userId);
    expect(delegates).toHaveLength(3);
    const r = await secretary.post(`/api/meetings/${id}/members/roles`, { userIds: delegates, role: 'observer' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(BulkRoleResponse.parse(r.body)).toEqual({ changed: 3 });
    const now = await members(id);
    expect(delegates.map((u) => now.find((m) => m.userId === u)?.role)).toEqual(['observer', 'observer', 'observer']);
    expect(await lastAudit()).toMatchObject({ action: 'member.roles_changed', meetingId: id });
    // Demoting every secretary is refused and changes nobody (the delegates in the same request included).
    const secretaries = now.filter((m) => m.role === 'secretary').map((m) => m.userId);
    const seq = (await lastAudit())?.seq;
    const conflict = await secretary.post(`/api/meetings/${id}/members/roles`, { userIds: [...secretaries, delegates[0]], role: 'delegate' });
    expect([conflict.status, errorCode(conflict.body)]).toEqual([409, 'CONFLICT']);
    expect((await lastAudit())?.seq).toBe(seq);
    const [still] = await db()
      .select({ role: meetingMembers.role })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.userId, delegates[0] ?? '')));
    expect(still?.role).toBe('observer');
    const stranger = await secretary.post(`/api/meetings/${id}/members/roles`, { userIds: ['00000000-0000-4000-8000-000000000000'], role: 'delegate' });
    expect([stranger.status, errorCode(stranger.body)]).toEqual([400, 'VALIDATION_ERROR']);
    expect(errorCode((await secretary.post(`/api/meetings/${id}/members/roles`, { userIds: [], role: 'delegate' })).body)).toBe('VALIDATION_ERROR');
    expect((await delegate.post(`/api/meetings/${id}/members/roles`, { userIds: delegates, role: 'delegate' })).status).toBe(404);
  });
});
