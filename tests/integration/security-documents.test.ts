import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { makePdf, sha } from '../helpers/pdf-fixture';
import { startServer, storages, type TestServer } from '../helpers/server';
import { auditLog, councils, meetingMembers, meetings, users } from '../../server/db/schema';
import { inspectPdf } from '../../server/documents/pdf-inspect';
import { DocumentMeta, PackageManifest } from '../../shared/api/documents';

/** Confidential documents, document names and download headers (docs/security.md "Server controls"). */

async function upload(api: Api, meetingId: string, bytes: Uint8Array, fields: Record<string, string>, filename = 'mật.pdf') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    form.append(k, v);
  }
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), filename);
  const res = await fetch(`${api.base}/api/meetings/${meetingId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${api.token ?? ''}` }, body: form });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function getBytes(api: Api, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token ?? ''}`, ...headers } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function pageText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
  await doc.destroy();
  return text;
}

describe.each(storages())('confidential documents on %s', (storage) => {
  let srv: TestServer;
  let secretary: Api;
  let delegate: Api;
  let observer: Api;
  let noGrace: string;
  let withGrace: string;
  let stillOpen: string;
  let delegateId: string;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    secretary = await anon.login('secretary');
    delegate = await anon.login('delegate01');
    observer = await anon.login('observer01');
    const { db } = srv.server.ctx;
    const byName = new Map((await db.select({ id: users.id, username: users.username }).from(users)).map((u) => [u.username, u.id]));
    const make = async (graceMinutes: number): Promise<string> => {
      const [council] = await db.insert(councils).values({ name: `HĐND thử ${graceMinutes}`, confidentialGraceMinutes: graceMinutes }).returning();
      const [m] = await db.insert(meetings).values({ title: 'Kỳ họp kín', body: 'HĐND', startsAt: new Date(), status: 'in_progress', councilId: council!.id }).returning();
      await db.insert(meetingMembers).values([
        { meetingId: m!.id, userId: byName.get('secretary')!, role: 'secretary' },
        { meetingId: m!.id, userId: byName.get('chair')!, role: 'chair' },
        { meetingId: m!.id, userId: byName.get('delegate01')!, role: 'delegate' },
        { meetingId: m!.id, userId: byName.get('observer01')!, role: 'observer' },
      ]);
      return m!.id;
    };
    noGrace = await make(0);
    withGrace = await make(120);
    stillOpen = await make(0);
    delegateId = byName.get('delegate01')!;
  });
  afterAll(async () => {
    await srv.close();
  });

  it("serves delegates their own watermarked copy, with the manifest describing exactly those bytes", async () => {
    const original = await makePdf('confidential');
    const doc = DocumentMeta.parse((await upload(secretary, noGrace, original, { confidentiality: 'confidential' })).body);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${noGrace}/package`)).body);
    const entry = manifest.documents.find((d) => d.id === doc.id);
    expect(entry).toBeDefined();
    const got = await getBytes(delegate, `/api/documents/${doc.id}/content`);
    expect(got.status).toBe(200);
    expect(sha(got.bytes)).not.toBe(sha(original));
    expect(sha(got.bytes)).toBe(entry?.sha256);
    expect(got.bytes.length).toBe(entry?.size);
    expect(got.headers.get('etag')).toBe(`"${entry?.sha256 ?? ''}"`);
    expect(got.headers.get('vary')?.toLowerCase()).toContain('authorization');
    const text = await pageText(got.bytes);
    expect(text).toContain('delegate01');
    expect(text).toContain('Bản cấp cho');
    // Stable per reader: same bytes again, 304 on the ETag, ranges of the same copy.
    expect(sha((await getBytes(delegate, `/api/documents/${doc.id}/content`)).bytes)).toBe(sha(got.bytes));
    expect((await getBytes(delegate, `/api/documents/${doc.id}/content`, { 'if-none-match': `"${entry?.sha256 ?? ''}"` })).status).toBe(304);
    const part = await getBytes(delegate, `/api/documents/${doc.id}/content`, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(Buffer.from(part.bytes).equals(Buffer.from(got.bytes.subarray(0, 100)))).toBe(true);
    // The secretariat keeps the original.
    expect(sha((await getBytes(secretary, `/api/documents/${doc.id}/content`)).bytes)).toBe(sha(original));
    // Every download of confidential content is audited with the reader and address.
    const rows = (await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'document.downloaded'))).map((r) => ({ actor: r.actorId, ...(JSON.parse(r.data) as { documentId: string; ip: string }) }));
    const mine = rows.filter((r) => r.documentId === doc.id && r.actor === delegateId);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.every((r) => r.ip === '127.0.0.1')).toBe(true);
  });

  it('sends PDFs as sandboxed attachments that cannot be sniffed into a page', async () => {
    const doc = DocumentMeta.parse((await upload(secretary, stillOpen, await makePdf('public'), { confidentiality: 'public' })).body);
    const got = await getBytes(observer, `/api/documents/${doc.id}/content`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-type')).toBe('application/pdf');
  });

  it('takes confidential documents from delegates when the meeting closes; the secretariat revokes at any time', async () => {
    const doc = DocumentMeta.parse((await upload(secretary, noGrace, await makePdf('secret-2'), { confidentiality: 'confidential' })).body);
    const internal = DocumentMeta.parse((await upload(secretary, noGrace, await makePdf('internal-2'), { confidentiality: 'internal' })).body);
    expect((await getBytes(delegate, `/api/documents/${doc.id}/content`)).status).toBe(200);
    expect((await secretary.post(`/api/meetings/${noGrace}/status`, { status: 'closed' })).status).toBe(200);
    const after = await getBytes(delegate, `/api/documents/${doc.id}/content`);
    expect(after.status).toBe(404);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${noGrace}/package`)).body);
    expect(manifest.documents.map((d) => d.id)).not.toContain(doc.id);
    expect(manifest.revoked).toContain(doc.id);
    // Internal ones stay; the secretariat still reads the confidential one.
    expect((await getBytes(delegate, `/api/documents/${internal.id}/content`)).status).toBe(200);
    expect((await getBytes(secretary, `/api/documents/${doc.id}/content`)).status).toBe(200);
    // The refusal is audited.
    const denied = (await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'access.denied'))).map((r) => JSON.parse(r.data) as { url: string; ip: string });
    expect(denied).toContainEqual(expect.objectContaining({ url: `/api/documents/${doc.id}/content`, ip: '127.0.0.1' }));
    // Revoking after the meeting closed works.
    expect((await secretary.delete(`/api/documents/${internal.id}`)).status).toBe(204);
    expect((await getBytes(delegate, `/api/documents/${internal.id}/content`)).status).toBe(404);
  });

  it("keeps them readable for the council's grace period", async () => {
    const doc = DocumentMeta.parse((await upload(secretary, withGrace, await makePdf('secret-3'), { confidentiality: 'confidential' })).body);
    expect((await secretary.post(`/api/meetings/${withGrace}/status`, { status: 'closed' })).status).toBe(200);
    expect((await getBytes(delegate, `/api/documents/${doc.id}/content`)).status).toBe(200);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${withGrace}/package`)).body);
    expect(manifest.documents.map((d) => d.id)).toContain(doc.id);
  });

  it("hides internal minutes' metadata from observers", async () => {
    // noGrace is closed by now (previous test of this file).
    const made = await secretary.post(`/api/meetings/${noGrace}/minutes`, { lang: 'vi' });
    expect(made.status).toBe(201);
    const seenBySecretary = (await secretary.get(`/api/meetings/${noGrace}/minutes`)).body as { minutes: unknown[] };
    expect(seenBySecretary.minutes.length).toBe(1);
    const seenByObserver = await observer.get(`/api/meetings/${noGrace}/minutes`);
    expect(seenByObserver.status).toBe(200);
    expect((seenByObserver.body as { minutes: unknown[] }).minutes).toEqual([]);
  });

  it('refuses document names with line breaks or text-direction characters', async () => {
    const pdf = await makePdf('names');
    const crlf = await upload(secretary, stillOpen, pdf, { name: 'Tờ trình\r\nX-Injected: 1' });
    expect(crlf.status).toBe(400);
    expect(errorCode(crlf.body)).toBe('VALIDATION_ERROR');
    const rlo = await upload(secretary, stillOpen, pdf, {}, 'bao-cao\u202Efdp.exe');
    expect(rlo.status).toBe(400);
    const ok = DocumentMeta.parse((await upload(secretary, stillOpen, pdf, { name: '  Tờ trình ngân sách  ' })).body);
    expect(ok.name).toBe('Tờ trình ngân sách');
    const rename = await secretary.patch(`/api/documents/${ok.id}`, { name: 'a\u2066b' });
    expect(rename.status).toBe(400);
  });
});

describe('page count of large uploads', () => {
  it('reads a fraction of a large PDF, not the whole file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecab-pdf-'));
    try {
      const doc = await PDFDocument.create();
      for (let i = 0; i < 5; i++) {
        doc.addPage([300, 400]);
      }
      await doc.attach(randomBytes(12 * 1024 * 1024), 'padding.bin', { mimeType: 'application/octet-stream' });
      const path = join(dir, 'big.pdf');
      const bytes = await doc.save();
      writeFileSync(path, bytes);
      const r = await inspectPdf(path);
      expect(r.pages).toBe(5);
      expect(r.bytesRead).toBeLessThan(bytes.length / 10);
      // pdf.js ran in a thread of its own: its polyfills did not replace this process's JSON.
      expect(Function.prototype.toString.call(JSON.stringify)).toContain('[native code]');
      expect(Function.prototype.toString.call(JSON.parse)).toContain('[native code]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
