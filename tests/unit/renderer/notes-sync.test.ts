// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureApi } from '../../../renderer/src/api/http';
import { platform } from '../../../renderer/src/platform';
import { editNote, flushPendingNotes, localNotes, syncNotes } from '../../../renderer/src/reader/notes-sync';

/** Private notes kept and synced: local first, dirty pages pushed, last-writer-wins adopted. */

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
let doc = 0;
const newDoc = () => `00000000-0000-4000-8000-${String(++doc).padStart(12, '0')}`;

interface Call {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

function server(handler: (c: Call) => unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const c = { method: init.method ?? 'GET', url, body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined };
    calls.push(c);
    const answer = handler(c);
    if (answer instanceof Error) {
      throw answer;
    }
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

describe('notes sync', () => {
  beforeEach(() => configureApi({ base: 'http://srv', token: 'x'.repeat(30) }));
  afterEach(() => vi.unstubAllGlobals());

  it('keeps an offline edit on the device, marked dirty and pending, and pushes it later', async () => {
    const d = newDoc();
    server(() => new TypeError('offline'));
    const saved = await editNote(U1, d, 3, 'Hỏi về dự toán');
    expect(saved[3]).toMatchObject({ text: 'Hỏi về dự toán', dirty: true });
    await vi.waitFor(async () => expect(JSON.parse((await platform.settings.get(`notes.pending.${U1}`)) ?? '[]')).toContain(d));

    const calls = server((c) => (c.method === 'PUT' ? { page: 3, text: 'Hỏi về dự toán', updatedAt: '2026-12-01T01:00:00.000Z', deleted: false } : { documentId: d, notes: [] }));
    await flushPendingNotes(U1);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`PUT http://srv/api/documents/${d}/notes/3`]);
    expect((await localNotes(U1, d))[3]).toEqual({ text: 'Hỏi về dự toán', updatedAt: '2026-12-01T01:00:00.000Z', dirty: false });
    expect(await platform.settings.get(`notes.pending.${U1}`)).toBeNull();
  });

  it('adopts what the server keeps: a newer note from elsewhere, a newer deletion, pages deleted elsewhere', async () => {
    const d = newDoc();
    await platform.notes.save(U1, d, {
      1: { text: 'cũ, đã đồng bộ', updatedAt: '2026-12-01T00:00:00.000Z', dirty: false },
      2: { text: 'sửa khi mất mạng', updatedAt: '2026-12-01T00:00:00.000Z', dirty: true },
      4: { text: '', updatedAt: '2026-12-01T00:00:00.000Z', dirty: true },
      5: { text: 'đã xóa ở máy khác', updatedAt: '2026-12-01T00:00:00.000Z', dirty: false },
    });
    const calls = server((c) => {
      if (c.method === 'PUT') {
        // Page 2 was deleted later on another device: the server keeps the deletion.
        return { page: 2, text: '', updatedAt: '2026-12-01T02:00:00.000Z', deleted: true };
      }
      if (c.method === 'DELETE') {
        return { page: 4, text: '', updatedAt: '2026-12-01T00:00:00.000Z', deleted: true };
      }
      return { documentId: d, notes: [
        { page: 1, text: 'mới hơn, từ máy khác', updatedAt: '2026-12-01T03:00:00.000Z' },
        { page: 9, text: 'trang 9', updatedAt: '2026-12-01T03:00:00.000Z' },
      ] };
    });
    const merged = await syncNotes(U1, d);
    expect(calls.map((c) => c.method).sort()).toEqual(['DELETE', 'GET', 'PUT']);
    expect(calls.find((c) => c.method === 'DELETE')?.url).toContain('updatedAt=2026-12-01T00%3A00%3A00.000Z');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ text: 'sửa khi mất mạng', updatedAt: '2026-12-01T00:00:00.000Z' });
    expect(Object.fromEntries(Object.entries(merged).map(([p, n]) => [p, [n.text, n.dirty]]))).toEqual({
      1: ['mới hơn, từ máy khác', false],
      9: ['trang 9', false],
    });
    expect(await localNotes(U1, d)).toEqual(merged);
  });

  it('keeps users apart on a shared device', async () => {
    const d = newDoc();
    server(() => new TypeError('offline'));
    await editNote(U1, d, 1, 'của người thứ nhất');
    expect(await localNotes(U2, d)).toEqual({});
    const calls = server(() => ({ documentId: d, notes: [] }));
    await flushPendingNotes(U2);
    expect(calls).toEqual([]);
  });
});
