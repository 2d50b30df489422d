import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { DocumentMeta, PackageManifest } from '../../shared/api/documents';
import type { RoomClient } from '../../shared/room/client';
import type { DocumentsChanged } from '../../shared/room/events';
import { connectAs, roomFixture, waitFor, type RoomFixture } from './room-helpers';

/** `documents:changed` (docs/protocol.md): ids only, after the commit, to those who may read the document. */

async function makePdf(label: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(label);
  doc.addPage([300, 400]);
  return doc.save();
}

async function upload(api: Api, meetingId: string, bytes: Uint8Array, confidentiality: string): Promise<DocumentMeta> {
  const form = new FormData();
  form.append('confidentiality', confidentiality);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'tờ trình.pdf');
  const res = await fetch(`${api.base}/api/meetings/${meetingId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token ?? ''}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return DocumentMeta.parse(await res.json());
}

/** Every documents:changed a client receives, in order. */
function record(c: RoomClient): DocumentsChanged[] {
  const got: DocumentsChanged[] = [];
  c.onDocumentsChanged((d) => got.push(d));
  return got;
}

describe.each(storages())('room documents:changed on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let secretary: Api;
  let delegate: Api;
  let d1: RoomClient;
  let observer: RoomClient;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    const api = new Api(srv.url);
    secretary = api.withToken(await f.token('secretary'));
    delegate = api.withToken(await f.token('delegate01'));
    d1 = await connectAs(srv.url, f, 'delegate01');
    observer = await connectAs(srv.url, f, 'room-observer');
    await d1.join(f.meetingId);
    await observer.join(f.meetingId);
  });
  afterAll(async () => {
    d1.close();
    observer.close();
    await srv.close();
  });

  it("tells a joined delegate 'added' after an upload and 'revoked' after a revoke; the list comes over REST", async () => {
    const seen = record(d1);
    const seenByObserver = record(observer);
    const isFor = (id: string, change: DocumentsChanged['change']) => (d: DocumentsChanged) => d.documentId === id && d.change === change;

    const added = waitFor<DocumentsChanged>((l) => d1.onDocumentsChanged(l), () => true);
    const doc = await upload(secretary, f.meetingId, await makePdf('internal-1'), 'internal');
    expect(await added).toEqual({ meetingId: f.meetingId, documentId: doc.id, change: 'added' });
    // Ids only: the name, hash and confidentiality stay behind REST, which checks access.
    expect(Object.keys(await added).sort()).toEqual(['change', 'documentId', 'meetingId']);
    const list = await delegate.get(`/api/meetings/${f.meetingId}/package`);
    expect(PackageManifest.parse(list.body).documents.map((d) => d.id)).toContain(doc.id);

    const updated = waitFor<DocumentsChanged>((l) => d1.onDocumentsChanged(l), isFor(doc.id, 'updated'));
    expect((await secretary.patch(`/api/documents/${doc.id}`, { name: 'Tờ trình (sửa).pdf' })).status).toBe(200);
    await updated;

    const revoked = waitFor<DocumentsChanged>((l) => d1.onDocumentsChanged(l), isFor(doc.id, 'revoked'));
    expect((await secretary.delete(`/api/documents/${doc.id}`)).status).toBe(204);
    expect(await revoked).toEqual({ meetingId: f.meetingId, documentId: doc.id, change: 'revoked' });
    const after = PackageManifest.parse((await delegate.get(`/api/meetings/${f.meetingId}/package`)).body);
    expect(after.documents.map((d) => d.id)).not.toContain(doc.id);
    expect(after.revoked).toContain(doc.id);

    // Observers read public documents only: a public upload reaches them, the internal one never did
    // (same node, same socket: events arrive in emit order, so it would have come first).
    const pub = waitFor<DocumentsChanged>((l) => observer.onDocumentsChanged(l), () => true);
    const pubForDelegate = waitFor<DocumentsChanged>((l) => d1.onDocumentsChanged(l), (d) => d.change === 'added');
    const publicDoc = await upload(secretary, f.meetingId, await makePdf('public-1'), 'public');
    expect((await pub).documentId).toBe(publicDoc.id);
    expect(seenByObserver.map((d) => d.documentId)).toEqual([publicDoc.id]);
    expect((await pubForDelegate).documentId).toBe(publicDoc.id);
    expect(seen.map((d) => [d.documentId, d.change])).toEqual([
      [doc.id, 'added'],
      [doc.id, 'updated'],
      [doc.id, 'revoked'],
      [publicDoc.id, 'added'],
    ]);
  });
});
