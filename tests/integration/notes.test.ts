import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { Api, errorCode, type Reply } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { PublicUser } from '../../shared/api/auth';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingList } from '../../shared/api/meetings';
import { NoteList, NoteState, NOTE_MAX_CHARS } from '../../shared/api/notes';
import { auditLog, notes } from '../../server/db/schema';

/** Private page notes through real HTTP: privacy, membership, LWW, bad input. */

const MISSING = '00000000-0000-4000-8000-000000000000';

function expectError(r: Reply, status: number, code: string, text?: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(errorCode(r.body)).toBe(code);
  if (text) {
    expect((r.body as { error: { message: string } }).error.message).toContain(text);
  }
}

describe.each(storages())('private notes on %s', (storage) => {
  let srv: TestServer;
  let admin: Api;
  let secretary: Api;
  let chair: Api;
  let d1: Api;
  let d2: Api;
  let observer: Api;
  let outsider: Api;
  let meetingId: string;
  /** A 110-page internal document and the public one of the seeded meeting. */
  let docId: string;
  let docPages: number;
  let internalId: string;
  const path = (page: number | string, doc = docId) => `/api/documents/${doc}/notes/${page}`;
  const list = async (api: Api, doc = docId) => NoteList.parse((await api.get(`/api/documents/${doc}/notes`)).body).notes;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    [admin, secretary, chair, d1, d2] = await Promise.all([anon.login('admin'), anon.login('secretary'), anon.login('chair'), anon.login('delegate01'), anon.login('delegate02')]);
    for (const username of ['observer9', 'outsider9']) {
      const role = username.startsWith('observer') ? 'observer' : 'delegate';
      expect((await admin.post('/api/users', { username, displayName: username, role, password: 'pass-word-1' })).status).toBe(201);
    }
    observer = await anon.login('observer9', 'pass-word-1');
    outsider = await anon.login('outsider9', 'pass-word-1');
    meetingId = MeetingList.parse((await d1.get('/api/meetings')).body).meetings[0]?.id ?? '';
    const observerId = PublicUser.parse((await observer.get('/api/me')).body).id;
    expect((await secretary.put(`/api/meetings/${meetingId}/members/${observerId}`, { role: 'observer' })).status).toBe(201);
    const manifest = PackageManifest.parse((await d1.get(`/api/meetings/${meetingId}/package`)).body);
    const big = manifest.documents.find((d) => d.pages >= 100);
    const internal = manifest.documents.find((d) => d.confidentiality !== 'public');
    docId = big?.id ?? '';
    docPages = big?.pages ?? 0;
    internalId = internal?.id ?? '';
    expect(docId).not.toBe('');
    expect(internalId).not.toBe('');
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('keeps a note per page for its author; list, overwrite, delete', async () => {
    expect(await list(d1)).toEqual([]);
    const put = await d1.put(path(3), { text: 'Hỏi về dự toán ngân sách xã' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(NoteState.parse(put.body)).toMatchObject({ page: 3, text: 'Hỏi về dự toán ngân sách xã', deleted: false });
    expect((await d1.put(path(1), { text: 'Trang đầu' })).status).toBe(200);
    expect((await d1.put(path(3), { text: 'Đã sửa' })).status).toBe(200);
    expect((await list(d1)).map((n) => [n.page, n.text])).toEqual([
      [1, 'Trang đầu'],
      [3, 'Đã sửa'],
    ]);
    const del = await d1.delete(path(1));
    expect(del.status).toBe(200);
    expect(NoteState.parse(del.body)).toMatchObject({ page: 1, deleted: true, text: '' });
    expect((await list(d1)).map((n) => n.page)).toEqual([3]);
  });

  it('never shows a note to anyone else: other delegates, the secretary, the chair, an admin', async () => {
    await d1.put(path(5), { text: 'Ghi chú riêng của đại biểu 01' });
    await d2.put(path(5), { text: 'Của đại biểu 02' });
    expect((await list(d2)).map((n) => n.text)).toEqual(['Của đại biểu 02']);
    expect(await list(secretary)).toEqual([]);
    expect(await list(chair)).toEqual([]);
    // d2 deleting page 5 deletes only d2's note.
    await d2.delete(path(5));
    expect((await list(d1)).map((n) => n.text)).toContain('Ghi chú riêng của đại biểu 01');
    // No route takes a user id: the other user's notes are not addressable at all.
    const r = await secretary.get(`/api/documents/${docId}/notes?userId=whatever`);
    expect(NoteList.parse(r.body).notes).toEqual([]);
  });

  it('answers 404 to outsiders and observers of non-public documents, 403 to a non-member admin', async () => {
    expectError(await outsider.get(`/api/documents/${docId}/notes`), 404, 'NOT_FOUND');
    expectError(await outsider.put(path(1), { text: 'x' }), 404, 'NOT_FOUND');
    expectError(await outsider.delete(path(1)), 404, 'NOT_FOUND');
    expectError(await observer.get(`/api/documents/${internalId}/notes`), 404, 'NOT_FOUND');
    expectError(await observer.put(path(1, internalId), { text: 'x' }), 404, 'NOT_FOUND');
    expectError(await admin.get(`/api/documents/${docId}/notes`), 403, 'FORBIDDEN');
    expectError(await admin.put(path(1), { text: 'x' }), 403, 'FORBIDDEN');
    expectError(await d1.get(`/api/documents/${MISSING}/notes`), 404, 'NOT_FOUND');
    expectError(await new Api(srv.url).get(`/api/documents/${docId}/notes`), 401, 'UNAUTHENTICATED');
  });

  it('rejects bad input with 400 naming the field, and writes nothing', async () => {
    const rows = async () => (await srv.server.ctx.db.select({ n: count() }).from(notes))[0]?.n ?? 0;
    const before = await rows();
    expectError(await d1.put(path(0), { text: 'x' }), 400, 'VALIDATION_ERROR', 'page');
    expectError(await d1.put(path('abc'), { text: 'x' }), 400, 'VALIDATION_ERROR', 'page');
    expectError(await d1.put(path(docPages + 1), { text: 'x' }), 400, 'VALIDATION_ERROR', 'page');
    expectError(await d1.put(`/api/documents/xyz/notes/1`, { text: 'x' }), 400, 'VALIDATION_ERROR', 'id');
    expectError(await d1.put(path(2), {}), 400, 'VALIDATION_ERROR', 'text');
    expectError(await d1.put(path(2), { text: '   ' }), 400, 'VALIDATION_ERROR', 'text');
    expectError(await d1.put(path(2), { text: 42 }), 400, 'VALIDATION_ERROR', 'text');
    expectError(await d1.put(path(2), { text: 'x'.repeat(NOTE_MAX_CHARS + 1) }), 400, 'VALIDATION_ERROR', 'text');
    expectError(await d1.put(path(2), { text: 'x', updatedAt: 'yesterday' }), 400, 'VALIDATION_ERROR', 'updatedAt');
    expectError(await d1.delete(`${path(2)}?updatedAt=soon`), 400, 'VALIDATION_ERROR', 'updatedAt');
    // Over the route's body limit: refused before parsing.
    expectError(await d1.put(path(2), { text: 'x'.repeat(70 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    expect(await rows()).toBe(before);
    // The longest allowed note, with Vietnamese text, round-trips exactly.
    const long = 'Đ'.repeat(NOTE_MAX_CHARS);
    expect((await d1.put(path(2), { text: long })).status).toBe(200);
    expect((await list(d1)).find((n) => n.page === 2)?.text).toBe(long);
  });

  it('resolves conflicts last-writer-wins by updatedAt, deletions included', async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, s)).toISOString();
    expect(NoteState.parse((await d1.put(path(7), { text: 'máy tính bảng', updatedAt: t(10) })).body).text).toBe('máy tính bảng');
    // An older edit pushed late (a device that was offline) does not overwrite; the answer is what is kept.
    const late = NoteState.parse((await d1.put(path(7), { text: 'cũ hơn', updatedAt: t(5) })).body);
    expect(late).toMatchObject({ text: 'máy tính bảng', updatedAt: t(10), deleted: false });
    // An older deletion does not delete a newer note; a newer one does; an older edit does not revive it.
    expect(NoteState.parse((await d1.delete(`${path(7)}?updatedAt=${encodeURIComponent(t(8))}`)).body).deleted).toBe(false);
    expect(NoteState.parse((await d1.delete(`${path(7)}?updatedAt=${encodeURIComponent(t(20))}`)).body).deleted).toBe(true);
    expect(NoteState.parse((await d1.put(path(7), { text: 'sửa khi mất mạng', updatedAt: t(15) })).body)).toMatchObject({ deleted: true, updatedAt: t(20) });
    expect((await list(d1)).some((n) => n.page === 7)).toBe(false);
    // Retrying the same write is harmless (same timestamp: kept as is).
    await d1.put(path(7), { text: 'mới', updatedAt: t(30) });
    expect(NoteState.parse((await d1.put(path(7), { text: 'mới', updatedAt: t(30) })).body)).toMatchObject({ text: 'mới', deleted: false });
    // A device clock in the future cannot win forever: its time is clamped to the server's.
    const future = NoteState.parse((await d1.put(path(8), { text: 'đồng hồ chạy nhanh', updatedAt: '2099-01-01T00:00:00Z' })).body);
    expect(new Date(future.updatedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('keeps notes out of the audit log; a revoked document takes its notes out of reach', async () => {
    const rows = await srv.server.ctx.db.select({ action: auditLog.action, data: auditLog.data }).from(auditLog);
    expect(rows.some((r) => r.action.startsWith('note') || r.data.includes('Ghi chú riêng'))).toBe(false);
    expect((await secretary.delete(`/api/documents/${docId}`)).status).toBe(204);
    expectError(await d1.get(`/api/documents/${docId}/notes`), 404, 'NOT_FOUND');
  });
});
