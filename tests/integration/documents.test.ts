import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { makePdf, sha } from '../helpers/pdf-fixture';
import { startServer, storages, type TestServer } from '../helpers/server';
import { agendaItems, auditLog, blobs, documents, meetingMembers, meetings, users } from '../../server/db/schema';
import { DocumentMeta, PackageManifest } from '../../shared/api/documents';

const LIMIT = 256 * 1024;

interface UploadReply {
  status: number;
  body: unknown;
}

async function upload(
  api: Api,
  meetingId: string,
  bytes: Uint8Array,
  opts: { fields?: Record<string, string>; filename?: string; fieldsAfterFile?: boolean } = {},
): Promise<UploadReply> {
  const form = new FormData();
  const add = (): void => {
    for (const [k, v] of Object.entries(opts.fields ?? {})) {
      form.append(k, v);
    }
  };
  if (!opts.fieldsAfterFile) {
    add();
  }
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), opts.filename ?? 'tài liệu.pdf');
  if (opts.fieldsAfterFile) {
    add();
  }
  const headers: Record<string, string> = api.token ? { authorization: `Bearer ${api.token}` } : {};
  const res = await fetch(`${api.base}/api/meetings/${meetingId}/documents`, { method: 'POST', headers, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function getBytes(api: Api, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token ?? ''}`, ...headers } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function tmpFiles(srv: TestServer): string[] {
  const dir = join(srv.dataDir, 'blobs', 'tmp');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe.each(storages())('documents on %s', (storage) => {
  let srv: TestServer;
  let anon: Api;
  let secretary: Api;
  let chair: Api;
  let delegate: Api;
  let observer: Api;
  let admin: Api;
  let outsider: Api;
  let meetingId: string;
  let itemId: string;
  let closedMeetingId: string;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo', config: { maxUploadBytes: LIMIT } });
    anon = new Api(srv.url);
    secretary = await anon.login('secretary');
    chair = await anon.login('chair');
    delegate = await anon.login('delegate01');
    observer = await anon.login('observer01');
    admin = await anon.login('admin');
    expect((await admin.post('/api/users', { username: 'stranger', displayName: 'Người Ngoài', role: 'delegate', password: 'stranger-pass' })).status).toBe(201);
    outsider = await anon.login('stranger', 'stranger-pass');
    const { db } = srv.server.ctx;
    const [m] = await db.select().from(meetings).limit(1);
    const [item] = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, m!.id)).limit(1);
    meetingId = m!.id;
    itemId = item!.id;
    // A closed meeting the secretary manages: documents are frozen there.
    const [closed] = await db
      .insert(meetings)
      .values({ title: 'Kỳ họp đã bế mạc', body: 'HĐND', startsAt: new Date(), status: 'closed' })
      .returning();
    const [sec] = await db.select().from(users).where(eq(users.username, 'secretary'));
    await db.insert(meetingMembers).values({ meetingId: closed!.id, userId: sec!.id, role: 'secretary' });
    closedMeetingId = closed!.id;
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('uploads a PDF (streamed multipart) and serves it back byte-exact with validators', async () => {
    const bytes = await makePdf('upload-1', 3);
    const r = await upload(secretary, meetingId, bytes, {
      fields: { confidentiality: 'public', agendaItemId: itemId },
      filename: 'Dự thảo Nghị quyết về ngân sách.pdf',
    });
    expect(r.status).toBe(201);
    const meta = DocumentMeta.parse(r.body);
    expect(meta).toMatchObject({ pages: 3, size: bytes.length, sha256: sha(bytes), confidentiality: 'public', agendaItemId: itemId });
    expect(meta.name).toBe('Dự thảo Nghị quyết về ngân sách.pdf');

    const got = await getBytes(delegate, `/api/documents/${meta.id}/content`);
    expect(got.status).toBe(200);
    expect(sha(got.bytes)).toBe(meta.sha256);
    expect(got.headers.get('etag')).toBe(`"${meta.sha256}"`);
    expect(got.headers.get('accept-ranges')).toBe('bytes');
    expect(got.headers.get('cache-control')).toBe('private, no-cache');
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    const cd = got.headers.get('content-disposition') ?? '';
    expect(cd).toMatch(/^attachment; filename="Du thao Nghi quyet ve ngan sach\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1] ?? '')).toBe('Dự thảo Nghị quyết về ngân sách.pdf');

    const metaAgain = await delegate.get(`/api/documents/${meta.id}`);
    expect(metaAgain.status).toBe(200);
    expect(DocumentMeta.parse(metaAgain.body)).toEqual(meta);

    const [audit] = await srv.server.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'document.uploaded'), eq(auditLog.meetingId, meetingId)));
    expect(audit?.data).toContain(meta.id);
  });

  it('accepts form fields sent after the file part', async () => {
    const r = await upload(secretary, meetingId, await makePdf('fields-after'), {
      fields: { confidentiality: 'confidential', name: 'Tờ trình nhân sự' },
      fieldsAfterFile: true,
    });
    expect(r.status).toBe(201);
    expect(DocumentMeta.parse(r.body)).toMatchObject({ confidentiality: 'confidential', name: 'Tờ trình nhân sự' });
  });

  it('refuses non-PDF and unparseable "PDF" content with 415 and keeps nothing', async () => {
    const before = (await srv.server.ctx.db.select().from(blobs)).length;
    const text = await upload(secretary, meetingId, new TextEncoder().encode('hello, not a pdf at all'), { filename: 'fake.pdf' });
    expect(text.status).toBe(415);
    expect(errorCode(text.body)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(JSON.stringify(text.body)).toContain('%PDF-');
    const broken = await upload(secretary, meetingId, new TextEncoder().encode('%PDF-1.7\nthis is garbage, no objects, no xref'));
    expect(broken.status).toBe(415);
    expect(errorCode(broken.body)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await srv.server.ctx.db.select().from(blobs)).length).toBe(before);
    expect(tmpFiles(srv)).toEqual([]);
  });

  it('refuses an oversized upload with 413 and leaves no file behind', async () => {
    const big = new Uint8Array(LIMIT * 2);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const before = (await srv.server.ctx.db.select().from(documents)).length;
    const r = await upload(secretary, meetingId, big);
    expect(r.status).toBe(413);
    expect(errorCode(r.body)).toBe('PAYLOAD_TOO_LARGE');
    expect(tmpFiles(srv)).toEqual([]);
    expect((await srv.server.ctx.db.select().from(documents)).length).toBe(before);
    const shard = join(srv.dataDir, 'blobs', sha(big).slice(0, 2), sha(big));
    expect(existsSync(shard)).toBe(false);
  });

  it('leaves no file and no row when the client aborts mid-upload', async () => {
    const before = (await srv.server.ctx.db.select().from(documents)).length;
    const boundary = 'ecabBoundary123';
    const url = new URL(`${srv.url}/api/meetings/${meetingId}/documents`);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${secretary.token ?? ''}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(100_000),
        },
      });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
      req.write(Buffer.alloc(20_000, 0x41));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    const deadline = Date.now() + 5000;
    while (tmpFiles(srv).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(tmpFiles(srv)).toEqual([]);
    expect((await srv.server.ctx.db.select().from(documents)).length).toBe(before);
  });

  it('stores identical content once', async () => {
    const bytes = await makePdf('dedupe');
    const a = DocumentMeta.parse((await upload(secretary, meetingId, bytes)).body);
    const b = DocumentMeta.parse((await upload(secretary, meetingId, bytes, { filename: 'bản sao.pdf' })).body);
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    const rows = await srv.server.ctx.db.select().from(blobs).where(eq(blobs.sha256, a.sha256));
    expect(rows).toHaveLength(1);
    expect(readdirSync(join(srv.dataDir, 'blobs', a.sha256.slice(0, 2))).filter((f) => f === a.sha256)).toHaveLength(1);
  });

  it('serves byte ranges (206), suffix ranges, 416 and 304', async () => {
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${meetingId}/package`)).body);
    const report = manifest.documents.find((d) => d.pages >= 100);
    expect(report).toBeDefined();
    const url = report!.url;
    const full = await getBytes(delegate, url);
    expect(full.bytes.length).toBe(report!.size);

    const mid = await getBytes(delegate, url, { range: 'bytes=1000-1999' });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-range')).toBe(`bytes 1000-1999/${report!.size}`);
    expect(Buffer.from(mid.bytes).equals(Buffer.from(full.bytes.subarray(1000, 2000)))).toBe(true);

    const open = await getBytes(delegate, url, { range: `bytes=${report!.size - 10}-` });
    expect(open.status).toBe(206);
    expect(Buffer.from(open.bytes).equals(Buffer.from(full.bytes.subarray(report!.size - 10)))).toBe(true);

    const suffix = await getBytes(delegate, url, { range: 'bytes=-500' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe(`bytes ${report!.size - 500}-${report!.size - 1}/${report!.size}`);
    expect(Buffer.from(suffix.bytes).equals(Buffer.from(full.bytes.subarray(report!.size - 500)))).toBe(true);

    for (const bad of [`bytes=${report!.size}-`, 'bytes=500-100', 'items=0-1', 'bytes=0-1,5-6', 'bytes=-0']) {
      const r = await delegate.request('GET', url, undefined, { range: bad });
      expect(r.status, bad).toBe(416);
      expect(errorCode(r.body)).toBe('RANGE_NOT_SATISFIABLE');
      expect(r.headers.get('content-range')).toBe(`bytes */${report!.size}`);
    }

    const cached = await getBytes(delegate, url, { 'if-none-match': `"${report!.sha256}"` });
    expect(cached.status).toBe(304);
    expect(cached.bytes.length).toBe(0);
    expect(cached.headers.get('etag')).toBe(`"${report!.sha256}"`);
    const head = await fetch(delegate.base + url, { method: 'HEAD', headers: { authorization: `Bearer ${delegate.token ?? ''}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(report!.size));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const stale = await getBytes(delegate, url, { 'if-none-match': '"0000"' });
    expect(stale.status).toBe(200);
    // If-Range with a different validator: the whole (changed) representation, not a fragment.
    const ifRange = await getBytes(delegate, url, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(ifRange.status).toBe(200);
    expect(ifRange.bytes.length).toBe(report!.size);
  });

  it('checks access per role: observers read public only, outsiders get 404, only managers upload', async () => {
    const pub = DocumentMeta.parse((await upload(secretary, meetingId, await makePdf('pub'), { fields: { confidentiality: 'public' } })).body);
    const internal = DocumentMeta.parse((await upload(secretary, meetingId, await makePdf('int'))).body);
    expect(internal.confidentiality).toBe('internal');

    for (const who of [delegate, chair, secretary, admin]) {
      expect((await getBytes(who, `/api/documents/${internal.id}/content`)).status).toBe(200);
    }
    expect((await getBytes(observer, `/api/documents/${pub.id}/content`)).status).toBe(200);
    expect((await getBytes(observer, `/api/documents/${internal.id}/content`)).status).toBe(404);
    expect((await observer.get(`/api/documents/${internal.id}`)).status).toBe(404);
    const obsManifest = PackageManifest.parse((await observer.get(`/api/meetings/${meetingId}/package`)).body);
    expect(obsManifest.documents.length).toBeGreaterThan(0);
    expect(obsManifest.documents.every((d) => d.confidentiality === 'public')).toBe(true);

    for (const path of [`/api/documents/${pub.id}`, `/api/documents/${pub.id}/content`, `/api/meetings/${meetingId}/package`]) {
      const r = await outsider.get(path);
      expect(r.status, path).toBe(404);
      expect(errorCode(r.body)).toBe('NOT_FOUND');
      expect((await anon.get(path)).status).toBe(401);
    }
    expect((await upload(outsider, meetingId, await makePdf('x'))).status).toBe(404);
    expect((await upload(anon, meetingId, await makePdf('x'))).status).toBe(401);
    for (const who of [delegate, chair, observer]) {
      const r = await upload(who, meetingId, await makePdf('x'));
      expect(r.status).toBe(403);
      expect(errorCode(r.body)).toBe('FORBIDDEN');
    }
    expect((await upload(admin, meetingId, await makePdf('by-admin'))).status).toBe(201);
    const closed = await upload(secretary, closedMeetingId, await makePdf('late'));
    expect(closed.status).toBe(409);
    expect(errorCode(closed.body)).toBe('INVALID_STATE');
    expect((await upload(secretary, 'not-a-uuid', await makePdf('x'))).status).toBe(400);
  });

  it('updates metadata (secretary only) and validates the body', async () => {
    const doc = DocumentMeta.parse((await upload(secretary, meetingId, await makePdf('patch'))).body);
    const r = await secretary.patch(`/api/documents/${doc.id}`, { name: 'Báo cáo thẩm tra', confidentiality: 'public', agendaItemId: itemId });
    expect(r.status).toBe(200);
    expect(DocumentMeta.parse(r.body)).toMatchObject({ name: 'Báo cáo thẩm tra', confidentiality: 'public', agendaItemId: itemId });
    expect((await secretary.patch(`/api/documents/${doc.id}`, { agendaItemId: null })).status).toBe(200);
    expect((await secretary.patch(`/api/documents/${doc.id}`, { confidentiality: 'secret' })).status).toBe(400);
    expect((await secretary.patch(`/api/documents/${doc.id}`, { name: '' })).status).toBe(400);
    const foreignItem = await secretary.patch(`/api/documents/${doc.id}`, { agendaItemId: '00000000-0000-4000-8000-000000000000' });
    expect(foreignItem.status).toBe(400);
    expect((await delegate.patch(`/api/documents/${doc.id}`, { name: 'x' })).status).toBe(403);
    expect((await chair.patch(`/api/documents/${doc.id}`, { name: 'x' })).status).toBe(403);
    // Observers may read this (now public) document, so they learn it exists: 403, not 404.
    expect((await observer.patch(`/api/documents/${doc.id}`, { name: 'x' })).status).toBe(403);
    expect((await observer.delete(`/api/documents/${doc.id}`)).status).toBe(403);
    expect((await anon.patch(`/api/documents/${doc.id}`, { name: 'x' })).status).toBe(401);
    expect((await anon.delete(`/api/documents/${doc.id}`)).status).toBe(401);
    expect((await outsider.patch(`/api/documents/${doc.id}`, { name: 'x' })).status).toBe(404);
    expect((await secretary.patch('/api/documents/00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
  });

  it('revokes a document: gone from the manifest, listed in revoked, content 404', async () => {
    const doc = DocumentMeta.parse((await upload(secretary, meetingId, await makePdf('revoke'))).body);
    expect((await delegate.delete(`/api/documents/${doc.id}`)).status).toBe(403);
    expect((await observer.delete(`/api/documents/${doc.id}`)).status).toBe(404);
    expect((await secretary.delete(`/api/documents/${doc.id}`)).status).toBe(204);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${meetingId}/package`)).body);
    expect(manifest.documents.map((d) => d.id)).not.toContain(doc.id);
    expect(manifest.revoked).toContain(doc.id);
    for (const d of manifest.documents) {
      expect(d.url).toBe(`/api/documents/${d.id}/content`);
    }
    // An observer never learns ids of internal papers, revoked or not.
    const obs = PackageManifest.parse((await observer.get(`/api/meetings/${meetingId}/package`)).body);
    expect(obs.revoked).not.toContain(doc.id);
    expect((await getBytes(delegate, `/api/documents/${doc.id}/content`)).status).toBe(404);
    expect((await secretary.delete(`/api/documents/${doc.id}`)).status).toBe(404);
  });
});
