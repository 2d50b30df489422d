import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { initCa } from '../../server/signatures/ca';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signPdf } from '../../server/signatures/pdf-sign';
import { IssueCertificateResponse, SignedRevisionList, SignedRevisionResponse, TrustResponse } from '../../shared/signatures/api';
import { VerifyReport } from '../../shared/signatures/report';
import { MeetingList } from '../../shared/api/meetings';
import { DocumentMeta } from '../../shared/api/documents';
import { samplePdf, STAMP_RECT } from '../unit/signatures-fixtures';

async function upload(api: Api, path: string, pdf: Uint8Array): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'doc.pdf');
  const res = await fetch(api.base + path, { method: 'POST', headers: { authorization: `Bearer ${api.token ?? ''}` }, body: form });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function content(api: Api, docId: string): Promise<Uint8Array> {
  const res = await fetch(`${api.base}/api/documents/${docId}/content`, { headers: { authorization: `Bearer ${api.token ?? ''}` } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

describe.each(storages())('signatures REST on %s', (storage) => {
  let srv: TestServer;
  let admin: Api;
  let chair: Api;
  let secretary: Api;
  let delegate: Api;
  let docId: string;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const api = new Api(srv.url);
    [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
    const meetings = MeetingList.parse((await chair.get('/api/meetings')).body).meetings;
    const meeting = meetings.find((m) => m.myRole === 'chair' && m.status !== 'closed');
    if (!meeting) {
      throw new Error('demo seed has no open meeting chaired by "chair"');
    }
    const up = await upload(admin, `/api/meetings/${meeting.id}/documents`, await samplePdf(2, true));
    expect(up.status).toBe(201);
    docId = DocumentMeta.parse(up.body).id;
  });
  afterAll(async () => {
    await srv.close();
  });

  it('has no CA until one is created; only admins issue certificates', async () => {
    const users = (await admin.get<{ users: { id: string; username: string }[] }>('/api/users')).body.users;
    const chairId = users.find((u) => u.username === 'chair')?.id ?? '';
    // The demo seed creates an organization CA: remove it to see the server without one.
    rmSync(join(srv.dataDir, 'ca'), { recursive: true, force: true });
    const none = await admin.post('/api/signatures/certificates', { userId: chairId, password: 'p12-password' });
    expect(none.status).toBe(409);
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
    const trust = TrustResponse.parse((await delegate.get('/api/signatures/trust')).body);
    expect(trust.roots).toHaveLength(1);
    expect(trust.roots[0]?.subject).toContain('CA HĐND Demo');
    expect((await delegate.post('/api/signatures/certificates', { userId: chairId, password: 'p12-password' })).status).toBe(403);
    expect(errorCode((await admin.post('/api/signatures/certificates', { userId: chairId, password: 'short' })).body)).toBe('VALIDATION_ERROR');
  });

  it('records signed revisions (chair, then secretary), refuses bad ones, verifies and tracks revocation', async () => {
    const users = (await admin.get<{ users: { id: string; username: string }[] }>('/api/users')).body.users;
    const issue = async (username: string) => {
      const r = await admin.post('/api/signatures/certificates', { userId: users.find((u) => u.username === username)?.id, password: 'p12-password' });
      expect(r.status).toBe(201);
      const body = IssueCertificateResponse.parse(r.body);
      return { serial: body.serialHex, signer: signerFromPkcs12(Buffer.from(body.pkcs12Base64, 'base64'), 'p12-password') };
    };
    const c = await issue('chair');
    const s = await issue('secretary');

    const original = await content(chair, docId);
    const one = await signPdf(original, c.signer, { fieldName: 'ChuToa', page: 1, rect: STAMP_RECT, stamp: { name: 'Nguyễn Văn Thắng', title: 'Chủ tịch HĐND xã' } });
    expect((await upload(delegate, `/api/documents/${docId}/signed-revisions`, one)).status).toBe(403);
    const unrelated = await signPdf(await samplePdf(1), c.signer, { fieldName: 'X', page: 0, rect: STAMP_RECT, stamp: { name: 'x' } });
    const wrongBase = await upload(chair, `/api/documents/${docId}/signed-revisions`, unrelated);
    expect(wrongBase.status).toBe(400);
    const edit = await PDFDocument.load(one, { forIncrementalUpdate: true, updateMetadata: false });
    edit.getPages()[0]?.drawText('forged line', { x: 40, y: 40, font: await edit.embedFont(StandardFonts.Helvetica), size: 10 });
    const editedAfter = await upload(chair, `/api/documents/${docId}/signed-revisions`, await edit.commit());
    expect(editedAfter.status).toBe(400);
    expect(errorCode(editedAfter.body)).toBe('INVALID_SIGNATURE');

    const ok1 = await upload(chair, `/api/documents/${docId}/signed-revisions`, one);
    expect(ok1.status).toBe(201);
    expect(SignedRevisionResponse.parse(ok1.body).revision.seq).toBe(1);
    const stale = await upload(secretary, `/api/documents/${docId}/signed-revisions`, await signPdf(original, s.signer, { fieldName: 'Y', page: 0, rect: STAMP_RECT, stamp: { name: 'y' } }));
    expect(stale.status).toBe(400);

    const current = await content(secretary, docId);
    expect(Buffer.from(current).equals(Buffer.from(one))).toBe(true);
    const two = await signPdf(current, s.signer, { fieldName: 'ThuKy', page: 1, rect: { x: 40, y: 60, width: 230, height: 70 }, stamp: { name: 'Thư ký' } });
    expect((await upload(secretary, `/api/documents/${docId}/signed-revisions`, two)).status).toBe(201);
    const list = SignedRevisionList.parse((await delegate.get(`/api/documents/${docId}/signed-revisions`)).body);
    expect(list.revisions.map((r) => r.fieldName)).toEqual(['ChuToa', 'ThuKy']);

    const report = VerifyReport.parse((await delegate.post(`/api/documents/${docId}/verify`)).body);
    expect(report.valid).toBe(true);
    expect(report.signatures).toHaveLength(2);

    expect((await delegate.post(`/api/signatures/certificates/${c.serial}/revoke`, {})).status).toBe(403);
    expect((await admin.post(`/api/signatures/certificates/${c.serial}/revoke`, { reason: 'keyCompromise' })).status).toBe(200);
    const after = VerifyReport.parse((await delegate.post(`/api/documents/${docId}/verify`)).body);
    expect(after.valid).toBe(false);
    expect(after.signatures[0]?.checks.find((x) => x.name === 'revocation')?.status).toBe('failed');
    const crl = await fetch(`${srv.url}/api/signatures/crl`);
    expect(crl.status).toBe(200);
    expect(crl.headers.get('content-type')).toContain('pkix-crl');
  });
});
