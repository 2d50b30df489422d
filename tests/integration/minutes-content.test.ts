import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { attendance, councils, documents, meetings, namedBallots, polls, speeches, users } from '../../server/db/schema';
import { GenerateMinutesResponse, MinutesList } from '../../shared/signatures/minutes';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingDetail } from '../../shared/api/meetings';
import type { DocumentsChanged } from '../../shared/room/events';
import type { RoomClient } from '../../shared/room/client';
import { Speech, SpeechList } from '../../shared/api/minutes';
import { initCa } from '../../server/signatures/ca';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signPdf } from '../../server/signatures/pdf-sign';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { connectAs, ok, roomFixture, waitFor, type RoomFixture } from './room-helpers';

/** What pdftotext reads, with runs of white space made one space (our typesetter wraps lines). */
function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-minutes-content-'));
  writeFileSync(join(dir, 'm.pdf'), pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'm.pdf'), '-']).toString().replace(/\s+/g, ' ');
}

async function bytes(api: Api, path: string): Promise<{ status: number; body: Uint8Array }> {
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token ?? ''}` } });
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

describe.each(storages())('minutes content and drafts on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chairRoom: RoomClient;
  let secretaryRoom: RoomClient;
  let delegateRoom: RoomClient;
  let admin: Api;
  let chair: Api;
  let secretary: Api;
  let delegate: Api;
  const names = new Map<string, string>();
  const delegateNotices: DocumentsChanged[] = [];
  const staffNotices: DocumentsChanged[] = [];

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const db = srv.server.ctx.db;
    f = await roomFixture(db, { delegates: 3 });
    for (const u of await db.select({ username: users.username, name: users.displayName }).from(users)) {
      names.set(u.username, u.name);
    }
    // A council in Paris: the minutes state its times in its zone, not Vietnam's nor the server's.
    const [council] = await db.insert(councils).values({ name: 'Hội đồng thử múi giờ', timeZone: 'Europe/Paris' }).returning();
    await db.update(meetings).set({ councilId: council?.id ?? null }).where(eq(meetings.id, f.meetingId));
    const api = new Api(srv.url);
    [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
    [chairRoom, secretaryRoom, delegateRoom] = await Promise.all([connectAs(srv.url, f, 'chair'), connectAs(srv.url, f, 'secretary'), connectAs(srv.url, f, 'delegate01')]);
    await Promise.all([chairRoom.join(f.meetingId), secretaryRoom.join(f.meetingId), delegateRoom.join(f.meetingId)]);
    delegateRoom.onDocumentsChanged((d) => delegateNotices.push(d));
    secretaryRoom.onDocumentsChanged((d) => staffNotices.push(d));
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
  });
  afterAll(async () => {
    for (const c of [chairRoom, secretaryRoom, delegateRoom]) {
      c.close();
    }
    await srv.close();
  });

  it('runs a meeting whose record holds speeches, votes and conclusions', async () => {
    const db = srv.server.ctx.db;
    const id = (u: string) => f.userIds.get(u) ?? '';
    ok(await chairRoom.request('meeting:start', { meetingId: f.meetingId }));
    ok(await chairRoom.request('agenda:setCurrent', { meetingId: f.meetingId, itemId: f.itemId }));
    const req = ok(await delegateRoom.request('speaker:request', { meetingId: f.meetingId }));
    ok(await chairRoom.request('speaker:grant', { meetingId: f.meetingId, requestId: req.requestId }));
    ok(await chairRoom.request('speaker:end', { meetingId: f.meetingId, requestId: req.requestId }));
    const [turn] = SpeechList.parse((await secretary.get(`/api/meetings/${f.meetingId}/speeches`)).body).speeches;
    expect((await secretary.patch(`/api/meetings/${f.meetingId}/speeches/${turn?.id ?? ''}`, { summary: 'Đề nghị bổ sung kinh phí sửa chữa trường học.' })).status).toBe(200);
    const added = await secretary.post(`/api/meetings/${f.meetingId}/speeches`, { userId: id('delegate02'), summary: 'Nhất trí với dự thảo.' });
    expect(added.status).toBe(201);
    Speech.parse(added.body);
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'Giao Ủy ban rà soát kinh phí trường học.' })).status).toBe(200);

    await db.insert(attendance).values([
      { meetingId: f.meetingId, userId: id('chair'), present: true, source: 'self' },
      { meetingId: f.meetingId, userId: id('delegate01'), present: true, source: 'self' },
      { meetingId: f.meetingId, userId: id('delegate02'), present: true, source: 'staff' },
      { meetingId: f.meetingId, userId: id('delegate03'), present: false, reason: 'Ốm', source: 'staff' },
    ]);
    const common = { meetingId: f.meetingId, itemId: f.itemId, secret: false, base: 'all' as const, thresholdNum: 1, thresholdDen: 2, thresholdStrict: true, correction: 'final' as const, hideTally: false, status: 'closed' as const, openedAt: new Date(), closedAt: new Date(), eligibleAtClose: 4, presentAtClose: 3 };
    const yesNo = JSON.stringify([
      { id: 'yes', label: 'Tán thành' },
      { id: 'no', label: 'Không tán thành' },
      { id: 'abstain', label: 'Không biểu quyết' },
    ]);
    const candidates = JSON.stringify([
      { id: 'c1', label: 'Nguyễn Văn Ứng' },
      { id: 'c2', label: 'Lê Thị Cử' },
    ]);
    const [resolution] = await db.insert(polls).values({ ...common, title: 'Thông qua dự toán', kind: 'yes_no_abstain', options: yesNo }).returning();
    const [won] = await db.insert(polls).values({ ...common, title: 'Bầu Phó Chủ tịch', kind: 'election', options: candidates }).returning();
    const [lost] = await db.insert(polls).values({ ...common, title: 'Bầu Ủy viên', kind: 'election', options: candidates }).returning();
    const ballot = (pollId: string | undefined, voter: string, choice: string) => ({ id: randomUUID(), pollId: pollId ?? '', voterId: id(voter), choice: JSON.stringify([choice]) });
    await db.insert(namedBallots).values([
      ballot(resolution?.id, 'chair', 'yes'),
      ballot(resolution?.id, 'delegate01', 'yes'),
      ballot(resolution?.id, 'delegate02', 'abstain'),
      ballot(won?.id, 'chair', 'c1'),
      ballot(won?.id, 'delegate01', 'c1'),
      ballot(won?.id, 'delegate02', 'c1'),
      ballot(lost?.id, 'chair', 'c1'),
      ballot(lost?.id, 'delegate01', 'c2'),
    ]);
    ok(await chairRoom.request('meeting:end', { meetingId: f.meetingId }));
    // Fixed times, to read them back in the council's zone: 08:30 and 11:45 in Paris (UTC+1 in December).
    await db.update(meetings).set({ startedAt: new Date('2026-12-01T07:30:00Z'), closedAt: new Date('2026-12-01T10:45:00Z') }).where(eq(meetings.id, f.meetingId));
    await db.update(speeches).set({ startedAt: new Date('2026-12-01T08:05:00Z'), endedAt: new Date('2026-12-01T08:10:00Z') }).where(eq(speeches.id, turn?.id ?? ''));
  });

  let draftId = '';

  it('writes the proceedings item by item: times in the council zone, speeches, votes in words, conclusions', async () => {
    const r = await secretary.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const gen = GenerateMinutesResponse.parse(r.body);
    expect(gen).toMatchObject({ version: 1, replaced: null });
    draftId = gen.document.id;
    const text = pdfText((await bytes(secretary, `/api/documents/${draftId}/content`)).body);
    expect(text).toContain('Thời gian bắt đầu: 08 giờ 30 phút, ngày 01/12/2026 (GMT+1)');
    expect(text).toContain('Thời gian kết thúc: 11 giờ 45 phút, ngày 01/12/2026 (GMT+1)');
    expect(text).toContain('III. DIỄN BIẾN KỲ HỌP');
    expect(text).toContain(`09:05–09:10, ${names.get('delegate01') ?? '?'} (Đại biểu): Đề nghị bổ sung kinh phí sửa chữa trường học.`);
    expect(text).toContain(`${names.get('delegate02') ?? '?'} (Đại biểu): Nhất trí với dự thảo.`);
    expect(text).toContain('Kết luận của chủ tọa: Giao Ủy ban rà soát kinh phí trường học.');
    expect(text).toContain('Quy tắc: thông qua khi trên 1/2 tổng số đại biểu tán thành');
    expect(text).toContain('Tán thành 2 (50,00 %); Không tán thành 0 (0,00 %); Không biểu quyết 1 (25,00 %) — KHÔNG THÔNG QUA');
    expect(text).toContain('Tham gia biểu quyết: 3/4 đại biểu');
    expect(text).toContain(`Không tham gia biểu quyết: ${names.get('delegate03') ?? '?'}`);
    expect(text).toContain('Quy tắc: trúng cử khi được trên 1/2 tổng số đại biểu bầu');
    expect(text).toContain('Trúng cử: Nguyễn Văn Ứng');
    expect(text).toContain('Không ai trúng cử');
    expect(text).toContain('Kỳ họp kết thúc vào lúc 11 giờ 45 phút, ngày 01/12/2026 (GMT+1).');
    // An election is never "passed": the only "KHÔNG THÔNG QUA" is the resolution's.
    expect(text.match(/KHÔNG THÔNG QUA/g)?.length).toBe(1);
    expect(text).not.toContain('Trúng cử: Lê Thị Cử');

    const en = GenerateMinutesResponse.parse((await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'en' })).body);
    const enText = pdfText((await bytes(chair, `/api/documents/${en.document.id}/content`)).body);
    expect(enText).toContain('Opened: 08:30 on 1 December 2026 (GMT+1)');
    expect(enText).toContain('Yes 2 (50.00%); No 0 (0.00%); Abstain 1 (25.00%) — NOT PASSED');
    expect(enText).toContain('Elected: Nguyễn Văn Ứng');
    expect(enText).toContain('No one elected');
    expect(enText).toContain(`Did not vote: ${names.get('delegate03') ?? '?'}`);
    expect(enText).toContain("Chair's conclusion: Giao Ủy ban rà soát kinh phí trường học.");
  });

  it('keeps a draft from delegates everywhere; the secretary regenerates it in place', async () => {
    const detail = MeetingDetail.parse((await delegate.get(`/api/meetings/${f.meetingId}`)).body);
    expect(detail.documents.map((d) => d.id)).not.toContain(draftId);
    const staffDetail = MeetingDetail.parse((await secretary.get(`/api/meetings/${f.meetingId}`)).body);
    expect(staffDetail.documents.map((d) => d.id)).toContain(draftId);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${f.meetingId}/package`)).body);
    expect([...manifest.documents.map((d) => d.id), ...manifest.revoked]).not.toContain(draftId);
    expect((await bytes(delegate, `/api/documents/${draftId}/content`)).status).toBe(404);
    expect((await delegate.get(`/api/documents/${draftId}`)).status).toBe(404);
    expect(MinutesList.parse((await delegate.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes).toEqual([]);
    const staffList = MinutesList.parse((await chair.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes;
    expect(staffList.map((m) => [m.lang, m.version, m.draft])).toEqual([
      ['vi', 1, true],
      ['en', 1, true],
    ]);

    // The summary is corrected after the meeting; the secretary regenerates the unsigned draft.
    const [turn] = SpeechList.parse((await secretary.get(`/api/meetings/${f.meetingId}/speeches`)).body).speeches;
    expect((await secretary.put(`/api/meetings/${f.meetingId}/speeches/${turn?.id ?? ''}`, { summary: 'Đề nghị bổ sung kinh phí cho hai trường tiểu học.' })).status).toBe(200);
    const heard = waitFor<DocumentsChanged>((l) => secretaryRoom.onDocumentsChanged(l), (d) => d.change === 'added');
    const again = GenerateMinutesResponse.parse((await secretary.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' })).body);
    expect(again).toMatchObject({ version: 1, replaced: draftId });
    expect((await bytes(secretary, `/api/documents/${draftId}/content`)).status).toBe(404); // replaced
    expect(pdfText((await bytes(secretary, `/api/documents/${again.document.id}/content`)).body)).toContain('Đề nghị bổ sung kinh phí cho hai trường tiểu học.');
    const [old] = await srv.server.ctx.db.select({ revokedAt: documents.revokedAt }).from(documents).where(eq(documents.id, draftId));
    expect(old?.revokedAt).toBeInstanceOf(Date);
    // The staff hear of drafts over the room (the delegate does not: checked once the chair signed).
    expect((await heard).documentId).toBe(again.document.id);
    expect(staffNotices).toContainEqual({ meetingId: f.meetingId, documentId: draftId, change: 'revoked' });
    draftId = again.document.id;
  });

  it("publishes the minutes to members with the chair's signature; generating again makes version 2", async () => {
    const signer = async (username: string) => {
      const res = await admin.post('/api/signatures/certificates', { userId: f.userIds.get(username), password: 'p12-password' });
      return signerFromPkcs12(Buffer.from(IssueCertificateResponse.parse(res.body).pkcs12Base64, 'base64'), 'p12-password');
    };
    const staffList = MinutesList.parse((await chair.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes;
    const entry = staffList.find((m) => m.document.id === draftId);
    const box = entry?.slots.find((s) => s.fieldName === 'ChuToa');
    expect(box).toBeDefined();
    const pdf = (await bytes(chair, `/api/documents/${draftId}/content`)).body;
    const signed = await signPdf(pdf, await signer('chair'), { fieldName: 'ChuToa', page: box?.page ?? 0, rect: box?.rect ?? { x: 0, y: 0, width: 10, height: 10 }, stamp: { name: 'Chủ tọa', title: 'Chủ tịch HĐND' } });
    const published = waitFor<DocumentsChanged>((l) => delegateRoom.onDocumentsChanged(l), (d) => d.documentId === draftId);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(signed)], { type: 'application/pdf' }), 'minutes.pdf');
    const up = await fetch(`${srv.url}/api/documents/${draftId}/signed-revisions`, { method: 'POST', headers: { authorization: `Bearer ${chair.token ?? ''}` }, body: form });
    expect(up.status).toBe(201);
    expect((await published).change).toBe('added');
    // Before this, the delegate heard nothing of any draft.
    expect(delegateNotices.filter((n) => n.documentId !== draftId)).toEqual([]);

    const seen = MinutesList.parse((await delegate.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes;
    expect(seen.map((m) => [m.document.id, m.version, m.draft])).toEqual([[draftId, 1, false]]);
    expect((await bytes(delegate, `/api/documents/${draftId}/content`)).status).toBe(200);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${f.meetingId}/package`)).body);
    expect(manifest.documents.map((d) => d.id)).toContain(draftId);

    // Frozen: generating again leaves the signed version and makes version 2, a new draft.
    const v2 = GenerateMinutesResponse.parse((await secretary.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' })).body);
    expect(v2).toMatchObject({ version: 2, replaced: null });
    expect(v2.document.id).not.toBe(draftId);
    expect((await bytes(chair, `/api/documents/${draftId}/content`)).status).toBe(200);
    const staffNow = MinutesList.parse((await secretary.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes.filter((m) => m.lang === 'vi');
    expect(staffNow.map((m) => [m.version, m.draft])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(MinutesList.parse((await delegate.get(`/api/meetings/${f.meetingId}/minutes`)).body).minutes.map((m) => m.version)).toEqual([1]);
    expect((await bytes(delegate, `/api/documents/${v2.document.id}/content`)).status).toBe(404);
    // A second regeneration replaces version 2's draft, still version 2.
    const v2b = GenerateMinutesResponse.parse((await secretary.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' })).body);
    expect(v2b).toMatchObject({ version: 2, replaced: v2.document.id });
  });
});
