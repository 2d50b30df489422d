import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Api } from '../helpers/http';
import { pdfText } from '../helpers/pdf-text';
import { startServer, storages, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { issuedVault, remoteSigningAs, vaultSigning } from '../helpers/vault-signing';
import { agendaItems, meetingMembers, meetings, users } from '../../server/db/schema';
import { initCa } from '../../server/signatures/ca';
import { signDocumentBox } from '../../renderer/src/minutes/sign-minutes';
import { ConclusionNoticeState, GeneratedNotice, NoticeDeliveryList, SendNoticeResponse } from '../../shared/api/conclusion-notice';
import { DocumentMeta } from '../../shared/api/documents';
import { ErrorResponse } from '../../shared/errors';
import { roomFixture, type RoomFixture } from './room-helpers';

const Generated = z.object({ document: DocumentMeta, slots: z.array(z.object({ fieldName: z.string() })) });
const DAY = 86_400_000;

/** The conclusion notice: from the chair's conclusions to a PDF the chair signs and members receive by mail. */
describe.each(storages())('conclusion notice on %s', (storage) => {
  let smtp: TestSmtp;
  let srv: TestServer;
  let f: RoomFixture;
  let admin: Api;
  let chair: Api;
  let secretary: Api;
  let delegate: Api;
  let secondItemId = '';
  const db = () => srv.server.ctx.db;

  beforeAll(async () => {
    smtp = await startSmtp();
    srv = await startServer({ storage, seed: 'demo', config: { smtpUrl: smtp.url } });
    f = await roomFixture(db(), { delegates: 3 });
    const [second] = await db().insert(agendaItems).values({ meetingId: f.meetingId, position: 2, title: 'Kế hoạch đầu tư công năm 2027', kind: 'report' }).returning();
    secondItemId = second?.id ?? '';
    for (const u of ['chair', 'delegate01', 'delegate02', 'delegate03']) {
      await db().update(users).set({ email: `${u}@notice.test` }).where(eq(users.username, u));
    }
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
    const api = new Api(srv.url);
    [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  const path = () => `/api/meetings/${f.meetingId}/conclusion-notice`;
  const message = (body: unknown) => ErrorResponse.parse(body).error.message;
  const state = async (who: Api, meetingId = f.meetingId) => {
    const r = await who.get(`/api/meetings/${meetingId}/conclusion-notice`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return ConclusionNoticeState.parse(r.body);
  };

  it('is generated from the conclusions of a closed meeting, signed by the chair in its box and mailed to members', async () => {
    expect((await secretary.post(path(), {})).status).toBe(409); // the meeting is not closed
    await db().update(meetings).set({ status: 'closed', closedAt: new Date() }).where(eq(meetings.id, f.meetingId));
    expect((await delegate.post(path(), {})).status).toBe(403);
    const none = await secretary.post(path(), {});
    expect(none.status).toBe(409);
    expect(message(none.body)).toMatch(/conclusion/i);

    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${secondItemId}/conclusion`, { text: 'Giao UBND xã hoàn thiện kế hoạch, trình kỳ họp sau.' })).status).toBe(200);
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'Thống nhất dự toán ngân sách năm 2027.' })).status).toBe(200);

    const before = await state(secretary);
    expect(before.document).toBeNull();
    expect(before.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(before.overdue).toBe(false);

    const first = await secretary.post(path(), {});
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Generating again before the chair signed replaces the draft.
    const gen = await secretary.post(path(), { lang: 'vi' });
    expect(gen.status).toBe(201);
    const { document } = Generated.parse(gen.body);
    expect(document.id).not.toBe(Generated.parse(first.body).document.id);
    const res = await fetch(`${srv.url}/api/documents/${document.id}/content`, { headers: { authorization: `Bearer ${secretary.token ?? ''}` } });
    expect(res.status).toBe(200);
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('THÔNG BÁO KẾT LUẬN');
    expect(text).toContain('Kỳ họp kiểm thử phòng họp');
    expect(text).toContain('Thống nhất dự toán ngân sách năm 2027.');
    expect(text.indexOf('Thống nhất dự toán')).toBeLessThan(text.indexOf('Giao UBND xã hoàn thiện kế hoạch'));

    expect((await secretary.post(`${path()}/send`)).status).toBe(409); // not signed yet

    const dir = mkdtempSync(join(tmpdir(), 'ecab-notice-vault-'));
    const platformFor = async (username: string) => vaultSigning(await issuedVault(admin, f.userIds.get(username), dir, username));
    // The box is the chair's: the secretary is refused.
    await expect(signDocumentBox(await platformFor('secretary'), remoteSigningAs(secretary), document.id, 'ChuToa', 'vi')).rejects.toMatchObject({ status: 403 });
    // The chair signs the registered box (no page or rect sent: the server knows it).
    const chairSigning = await platformFor('chair');
    expect(await signDocumentBox(chairSigning, remoteSigningAs(chair), document.id, 'ChuToa', 'vi')).toEqual({ ok: true, value: undefined });
    const signed = await state(chair);
    expect(signed).toMatchObject({ signed: true, sentAt: null, overdue: false, version: 1 });

    const sent = await secretary.post(`${path()}/send`);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const outcome = SendNoticeResponse.parse(sent.body);
    expect(outcome.failed).toBe(0);
    expect(outcome.sent).toBeGreaterThanOrEqual(4); // the four set above, and any seeded address
    for (const u of ['chair', 'delegate01', 'delegate02', 'delegate03']) {
      const mail = await smtp.waitFor((m) => m.rcpt.includes(`${u}@notice.test`) && m.subject.startsWith('Thông báo kết luận'));
      const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
      expect(pdf?.filename).toBe('thong-bao-ket-luan.pdf');
      expect(pdfText(new Uint8Array(pdf?.content ?? Buffer.alloc(0)))).toContain('Thống nhất dự toán ngân sách năm 2027.');
    }
    const after = await state(delegate);
    expect(after.document?.id).toBe(document.id);
    expect(after.sentAt).not.toBeNull();
    expect(after.overdue).toBe(false);

    // A signed notice is frozen: generating again issues version 2 and keeps the signed one, superseded.
    expect((await chair.put(`/api/meetings/${f.meetingId}/agenda/${f.itemId}/conclusion`, { text: 'Thống nhất dự toán ngân sách năm 2027, bổ sung vốn đối ứng.' })).status).toBe(200);
    const v2 = await secretary.post(path(), { lang: 'vi' });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    const made = GeneratedNotice.parse(v2.body);
    expect(made).toMatchObject({ version: 2, replaced: null, supersedes: document.id });
    expect(made.document.name).toMatch(/^Thông báo kết luận \(lần 2\)/);
    // Replacing the unsigned version 2 keeps its number and the signed version 1.
    const v2b = GeneratedNotice.parse((await secretary.post(path(), { lang: 'vi' })).body);
    expect(v2b).toMatchObject({ version: 2, replaced: made.document.id, supersedes: document.id });
    const two = await state(secretary);
    expect(two).toMatchObject({ version: 2, signed: false, sentAt: null, overdue: false });
    expect(two.document?.id).toBe(v2b.document.id);
    expect(two.versions.map((v) => [v.version, v.document.id, v.superseded, v.signedAt !== null, v.sentAt !== null])).toEqual([
      [1, document.id, true, true, true],
      [2, v2b.document.id, false, false, false],
    ]);
    const kept = await fetch(`${srv.url}/api/documents/${document.id}/content`, { headers: { authorization: `Bearer ${delegate.token ?? ''}` } });
    expect(kept.status).toBe(200);
    expect((await secretary.get(`/api/documents/${made.document.id}`)).status).toBe(404); // the replaced draft is revoked
    expect((await secretary.post(`${path()}/send`)).status).toBe(409); // version 2 is not signed yet
    expect(await signDocumentBox(chairSigning, remoteSigningAs(chair), v2b.document.id, 'ChuToa', 'vi')).toEqual({ ok: true, value: undefined });
    // The mail server refuses one mailbox: the record says who got version 2 and who did not.
    smtp.refused.add('delegate03@notice.test');
    const isV2 = (m: { attachments: readonly { content: Buffer }[] }) => m.attachments.some((a) => pdfText(new Uint8Array(a.content)).includes('bổ sung vốn đối ứng'));
    expect((await secretary.post(`${path()}/send`, { only: 'some' })).status).toBe(400);
    const partial = await secretary.post(`${path()}/send`, {});
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(SendNoticeResponse.parse(partial.body)).toMatchObject({ failed: 1 });
    const mail2 = await smtp.waitFor((m) => m.rcpt.includes('delegate02@notice.test') && isV2(m));
    expect(mail2.subject).toMatch(/^Thông báo kết luận/);
    expect((await delegate.get(`${path()}/deliveries`)).status).toBe(403);
    const record = NoticeDeliveryList.parse((await secretary.get(`${path()}/deliveries`)).body);
    expect(record.documentId).toBe(v2b.document.id);
    const byMail = new Map(record.deliveries.map((d) => [d.email, d]));
    expect(byMail.get('delegate02@notice.test')).toMatchObject({ accepted: true, error: null, attempts: 1 });
    expect(byMail.get('delegate03@notice.test')).toMatchObject({ accepted: false, attempts: 1 });
    expect(byMail.get('delegate03@notice.test')?.error).toMatch(/mailbox unavailable/);
    const receivedBefore = smtp.received.filter(isV2).length;

    // Resending to the failed ones only: one more mail, to delegate03, and the record turns accepted.
    smtp.refused.delete('delegate03@notice.test');
    const resent = await secretary.post(`${path()}/send`, { only: 'failed' });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(SendNoticeResponse.parse(resent.body)).toMatchObject({ sent: 1, failed: 0 });
    const late = await smtp.waitFor((m) => m.rcpt.includes('delegate03@notice.test') && isV2(m));
    expect(late.rcpt).toEqual(['delegate03@notice.test']);
    expect(smtp.received.filter(isV2).length).toBe(receivedBefore + 1);
    const after2 = NoticeDeliveryList.parse((await chair.get(`${path()}/deliveries`)).body);
    expect(after2.deliveries.every((d) => d.accepted)).toBe(true);
    expect(after2.deliveries.find((d) => d.email === 'delegate03@notice.test')).toMatchObject({ attempts: 2, error: null });
    const nothingFailed = await secretary.post(`${path()}/send`, { only: 'failed' });
    expect(nothingFailed.status).toBe(409);
    expect(message(nothingFailed.body)).toMatch(/No failed delivery/);
    expect(await state(delegate)).toMatchObject({ version: 2, signed: true, sentCount: after2.deliveries.length });
  });

  it('flags a meeting closed 10 days ago without a notice as overdue', async () => {
    const [late] = await db()
      .insert(meetings)
      .values({ title: 'Kỳ họp đã lâu', body: 'HĐND xã', startsAt: new Date(Date.now() - 11 * DAY), status: 'closed', closedAt: new Date(Date.now() - 10 * DAY) })
      .returning();
    const lateId = late?.id ?? '';
    const ids = await db().select({ id: users.id }).from(users).where(inArray(users.username, ['secretary']));
    await db().insert(meetingMembers).values(ids.map((u) => ({ meetingId: lateId, userId: u.id, role: 'secretary' as const })));
    const s = await state(secretary, lateId);
    expect(s).toMatchObject({ document: null, signed: false, overdue: true });
  });
});
