import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { Api, expectError } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { AgendaItem, AgendaTree, CouncilList, MeetingDetail, MeetingSummary } from '../../shared/api/meetings';
import { agendaItems, auditLog, blobs, documents, meetings } from '../../server/db/schema';

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Compact view of a tree for assertions: "title[child,child]". */
function shape(items: readonly AgendaItem[]): string[] {
  return items.map((i) => (i.children.length > 0 ? `${i.title}[${shape(i.children).join(',')}]` : i.title));
}

function flat(items: readonly AgendaItem[]): AgendaItem[] {
  return items.flatMap((i) => [i, ...flat(i.children)]);
}

describe.each(storages())('agenda on %s', (storage) => {
  let srv: TestServer;
  let anon: Api;
  let secretary: Api;
  let delegate: Api;
  let outsider: Api;
  let councilId: string;

  const db = () => srv.server.ctx.db;

  /** A published meeting of the demo council, so delegates can read it. */
  async function meeting(): Promise<string> {
    const r = await secretary.post('/api/meetings', { title: 'Kỳ họp', body: 'HĐND', startsAt: '2026-12-01T08:00:00Z', councilId });
    const id = MeetingSummary.parse(r.body).id;
    expect((await secretary.post(`/api/meetings/${id}/status`, { status: 'published' })).status).toBe(200);
    return id;
  }

  async function add(meetingId: string, title: string, extra: Record<string, unknown> = {}): Promise<AgendaItem> {
    const r = await secretary.post(`/api/meetings/${meetingId}/agenda`, { title, kind: 'report', ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return AgendaItem.parse(r.body);
  }

  async function tree(meetingId: string, api = secretary): Promise<AgendaItem[]> {
    const r = await api.get(`/api/meetings/${meetingId}/agenda`);
    expect(r.status).toBe(200);
    return AgendaTree.parse(r.body).items;
  }

  /** Positions must be 0..n-1 among every set of siblings. */
  function expectDense(items: readonly AgendaItem[]) {
    expect(items.map((i) => i.position)).toEqual(items.map((_, k) => k));
    for (const i of items) {
      expectDense(i.children);
    }
  }

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    anon = new Api(srv.url);
    const admin = await anon.login('admin');
    expect((await admin.post('/api/users', { username: 'outsider1', displayName: 'Người ngoài', role: 'delegate', password: 'pass-word-1' })).status).toBe(201);
    [secretary, delegate, outsider] = await Promise.all([anon.login('secretary'), anon.login('delegate01'), anon.login('outsider1', 'pass-word-1')]);
    councilId = CouncilList.parse((await secretary.get('/api/councils')).body).councils[0]?.id ?? '';
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('builds an ordered tree: append, insert at a position, nest', async () => {
    const m = await meeting();
    const a = await add(m, 'Báo cáo kinh tế - xã hội', { presenter: 'Chủ tịch UBND xã', description: 'Năm 2026' });
    expect(a).toMatchObject({ position: 0, parentId: null, kind: 'report', presenter: 'Chủ tịch UBND xã', children: [], documentIds: [] });
    await add(m, 'C');
    await add(m, 'B', { position: 1 });
    await add(m, 'Z', { position: 99 });
    const r1 = await add(m, 'Nghị quyết 1', { parentId: a.id, kind: 'resolution' });
    await add(m, 'Nghị quyết 0', { parentId: a.id, kind: 'resolution', position: 0 });
    expect(r1.parentId).toBe(a.id);
    const t = await tree(m);
    expect(shape(t)).toEqual(['Báo cáo kinh tế - xã hội[Nghị quyết 0,Nghị quyết 1]', 'B', 'C', 'Z']);
    expectDense(t);
    // Members read the same tree; the detail carries it too.
    expect(shape(await tree(m, delegate))).toEqual(shape(t));
    expect(shape(MeetingDetail.parse((await delegate.get(`/api/meetings/${m}`)).body).agenda)).toEqual(shape(t));
    const [last] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(last).toMatchObject({ action: 'agenda.created', meetingId: m });
  });

  it('rejects bad agenda input with 400 naming the field', async () => {
    const m = await meeting();
    const other = await meeting();
    const foreign = await add(other, 'Của kỳ họp khác');
    await expectError(secretary.post(`/api/meetings/${m}/agenda`, { title: '', kind: 'report' }), 400, 'VALIDATION_ERROR', 'title');
    await expectError(secretary.post(`/api/meetings/${m}/agenda`, { title: 'x', kind: 'speech' }), 400, 'VALIDATION_ERROR', 'kind');
    await expectError(secretary.post(`/api/meetings/${m}/agenda`, { title: 'x', kind: 'report', position: -1 }), 400, 'VALIDATION_ERROR', 'position');
    await expectError(secretary.post(`/api/meetings/${m}/agenda`, { title: 'x', kind: 'report', parentId: foreign.id }), 400, 'VALIDATION_ERROR', 'parentId');
    await expectError(secretary.post(`/api/meetings/${m}/agenda`, { title: 'x', kind: 'report', parentId: MISSING }), 400, 'VALIDATION_ERROR', 'parentId');
    await expectError(secretary.patch(`/api/agenda/${foreign.id}`, { kind: 'speech' }), 400, 'VALIDATION_ERROR', 'kind');
    await expectError(secretary.patch('/api/agenda/zzz', { title: 'x' }), 400, 'VALIDATION_ERROR', 'itemId');
    await expectError(secretary.patch(`/api/agenda/${MISSING}`, { title: 'x' }), 404, 'NOT_FOUND');
    await expectError(secretary.delete(`/api/agenda/${MISSING}`), 404, 'NOT_FOUND');
    await expectError(secretary.post(`/api/meetings/${MISSING}/agenda`, { title: 'x', kind: 'report' }), 404, 'NOT_FOUND');
    expect(await tree(m)).toEqual([]);
  });

  it('patches only the fields sent', async () => {
    const m = await meeting();
    const a = await add(m, 'Tờ trình', { description: 'Mô tả', presenter: 'Phó Chủ tịch' });
    const r = await secretary.patch(`/api/agenda/${a.id}`, { title: 'Tờ trình sửa đổi', kind: 'resolution' });
    expect(r.status).toBe(200);
    expect(AgendaItem.parse(r.body)).toMatchObject({ title: 'Tờ trình sửa đổi', kind: 'resolution', description: 'Mô tả', presenter: 'Phó Chủ tịch' });
  });

  it('deletes a subtree, renumbers the siblings and clears the live pointer', async () => {
    const m = await meeting();
    const a = await add(m, 'A');
    const b = await add(m, 'B');
    await add(m, 'C');
    const b1 = await add(m, 'B1', { parentId: b.id });
    await add(m, 'B1a', { parentId: b1.id });
    await db().update(meetings).set({ currentItemId: b1.id }).where(eq(meetings.id, m));
    expect((await secretary.delete(`/api/agenda/${b.id}`)).status).toBe(204);
    const t = await tree(m);
    expect(shape(t)).toEqual(['A', 'C']);
    expectDense(t);
    expect(await db().select().from(agendaItems).where(eq(agendaItems.meetingId, m))).toHaveLength(2);
    const [row] = await db().select().from(meetings).where(eq(meetings.id, m));
    expect(row?.currentItemId).toBeNull();
    const [last] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(last?.action).toBe('agenda.deleted');
    expect(JSON.parse(last?.data ?? '{}')).toEqual({ itemIds: expect.arrayContaining([b.id, b1.id]) as unknown });
    expect((await secretary.delete(`/api/agenda/${a.id}`)).status).toBe(204);
    expect(shape(await tree(m))).toEqual(['C']);
  });

  it('reorders and nests the whole tree, renumbering positions 0..n-1', async () => {
    const m = await meeting();
    const [a, b, c, d] = [await add(m, 'A'), await add(m, 'B'), await add(m, 'C'), await add(m, 'D')];
    const r = await secretary.put(`/api/meetings/${m}/agenda/order`, {
      items: [
        { id: c.id, parentId: null, position: 10 },
        { id: a.id, parentId: null, position: 20 },
        { id: d.id, parentId: c.id, position: 7 },
        { id: b.id, parentId: c.id, position: 3 },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const t = AgendaTree.parse(r.body).items;
    expect(shape(t)).toEqual(['C[B,D]', 'A']);
    expectDense(t);
    expect(shape(await tree(m))).toEqual(['C[B,D]', 'A']);
    // Grandchildren: move A under B (three levels).
    const r2 = await secretary.put(`/api/meetings/${m}/agenda/order`, {
      items: [
        { id: c.id, parentId: null, position: 0 },
        { id: b.id, parentId: c.id, position: 0 },
        { id: d.id, parentId: c.id, position: 0 },
        { id: a.id, parentId: b.id, position: 0 },
      ],
    });
    expect(shape(AgendaTree.parse(r2.body).items)).toEqual(['C[B[A],D]']);
  });

  it('rejects cycles, unknown, missing, duplicate and foreign items, changing nothing', async () => {
    const m = await meeting();
    const other = await meeting();
    const foreign = await add(other, 'X');
    const [a, b, c] = [await add(m, 'A'), await add(m, 'B'), await add(m, 'C')];
    const before = await tree(m);
    const order = (items: unknown) => secretary.put(`/api/meetings/${m}/agenda/order`, { items });
    const top = (id: string, position: number) => ({ id, parentId: null, position });
    await expectError(
      order([
        { id: a.id, parentId: b.id, position: 0 },
        { id: b.id, parentId: a.id, position: 0 },
        top(c.id, 0),
      ]),
      400,
      'VALIDATION_ERROR',
      'cycle',
    );
    await expectError(order([{ id: a.id, parentId: a.id, position: 0 }, top(b.id, 1), top(c.id, 2)]), 400, 'VALIDATION_ERROR', 'cycle');
    await expectError(order([top(a.id, 0), top(b.id, 1), top(c.id, 2), top(MISSING, 3)]), 400, 'VALIDATION_ERROR', MISSING);
    await expectError(order([top(a.id, 0), top(b.id, 1)]), 400, 'VALIDATION_ERROR', c.id);
    await expectError(order([top(a.id, 0), top(b.id, 1), top(c.id, 2), top(a.id, 3)]), 400, 'VALIDATION_ERROR', 'twice');
    await expectError(order([top(a.id, 0), top(b.id, 1), top(c.id, 2), top(foreign.id, 3)]), 400, 'VALIDATION_ERROR', foreign.id);
    await expectError(order([{ id: a.id, parentId: foreign.id, position: 0 }, top(b.id, 1), top(c.id, 2)]), 400, 'VALIDATION_ERROR', 'parentId');
    await expectError(order([{ id: a.id, parentId: null, position: -1 }, top(b.id, 1), top(c.id, 2)]), 400, 'VALIDATION_ERROR', 'position');
    await expectError(order('all of them'), 400, 'VALIDATION_ERROR', 'items');
    expect(await tree(m)).toEqual(before);
    expect(shape(await tree(other))).toEqual(['X']);
  });

  it('lists each item’s documents, only those the caller may read', async () => {
    const m = await meeting();
    const a = await add(m, 'A');
    const sha = 'b'.repeat(64);
    await db().insert(blobs).values({ sha256: sha, size: 5 }).onConflictDoNothing();
    const inserted = await db()
      .insert(documents)
      .values([
        { meetingId: m, agendaItemId: a.id, name: 'public.pdf', sha256: sha, size: 5, pages: 1, confidentiality: 'public' },
        { meetingId: m, agendaItemId: a.id, name: 'secret.pdf', sha256: sha, size: 5, pages: 1, confidentiality: 'confidential' },
      ])
      .returning({ id: documents.id, name: documents.name });
    const admin = await anon.login('admin');
    const observerReply = await admin.post('/api/users', { username: 'observer1', displayName: 'Quan sát viên', role: 'observer', password: 'pass-word-1' });
    const observerId = (observerReply.body as { id: string }).id;
    expect((await secretary.put(`/api/meetings/${m}/members/${observerId}`, { role: 'observer' })).status).toBe(201);
    const observer = await anon.login('observer1', 'pass-word-1');
    const ids = (items: AgendaItem[]) => flat(items).find((i) => i.id === a.id)?.documentIds.sort();
    expect(ids(await tree(m, delegate))).toEqual(inserted.map((d) => d.id).sort());
    expect(ids(await tree(m, observer))).toEqual(inserted.filter((d) => d.name === 'public.pdf').map((d) => d.id));
    // Deleting the item keeps its documents, detached.
    expect((await secretary.delete(`/api/agenda/${a.id}`)).status).toBe(204);
    const docs = MeetingDetail.parse((await secretary.get(`/api/meetings/${m}`)).body).documents;
    expect(docs.map((d) => d.agendaItemId)).toEqual([null, null]);
  });

  it('lets members read, managers write, and hides everything from outsiders', async () => {
    const m = await meeting();
    const a = await add(m, 'A');
    await expectError(delegate.post(`/api/meetings/${m}/agenda`, { title: 'x', kind: 'report' }), 403, 'FORBIDDEN');
    await expectError(delegate.patch(`/api/agenda/${a.id}`, { title: 'x' }), 403, 'FORBIDDEN');
    await expectError(delegate.delete(`/api/agenda/${a.id}`), 403, 'FORBIDDEN');
    await expectError(delegate.put(`/api/meetings/${m}/agenda/order`, { items: [] }), 403, 'FORBIDDEN');
    await expectError(outsider.get(`/api/meetings/${m}/agenda`), 404, 'NOT_FOUND');
    // Same answer as for an item that does not exist: the id reveals nothing.
    const leak = await outsider.patch(`/api/agenda/${a.id}`, { title: 'x' });
    const none = await outsider.patch(`/api/agenda/${MISSING}`, { title: 'x' });
    expect([leak.status, leak.body]).toEqual([none.status, none.body]);
    expect(leak.status).toBe(404);
    await expectError(outsider.delete(`/api/agenda/${a.id}`), 404, 'NOT_FOUND');
    await expectError(anon.get(`/api/meetings/${m}/agenda`), 401, 'UNAUTHENTICATED');
    expect(shape(await tree(m))).toEqual(['A']);
  });
});
