import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Vault } from '../../electron/main/services/vault';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { issuedVault, remoteSigningAs, vaultSigning } from '../helpers/vault-signing';
import { attendance, meetings, namedBallots, polls, users } from '../../server/db/schema';
import { MinutesList, PrepareSigningResponse } from '../../shared/signatures/minutes';
import { signDocumentBox } from '../../renderer/src/minutes/sign-minutes';
import { PackageManifest } from '../../shared/api/documents';
import { initCa } from '../../server/signatures/ca';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signPdf } from '../../server/signatures/pdf-sign';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { VerifyReport } from '../../shared/signatures/report';
import { DocumentMeta } from '../../shared/api/documents';
import { roomFixture, type RoomFixture } from './room-helpers';

const Slot = z.object({ fieldName: z.string(), page: z.number().int(), rect: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }) });
const MinutesResponse = z.object({ document: DocumentMeta, slots: z.array(Slot) });

async function fetchBytes(api: Api, path: string): Promise<Uint8Array> {
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token ?? ''}` } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

async function upload(api: Api, path: string, pdf: Uint8Array): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'minutes.pdf');
  const res = await fetch(api.base + path, { method: 'POST', headers: { authorization: `Bearer ${api.token ?? ''}` }, body: form });
  return res.status;
}

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-minutes-'));
  writeFileSync(join(dir, 'm.pdf'), pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'm.pdf'), '-']).toString();
}

describe.each(storages())('meeting minutes on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const db = srv.server.ctx.db;
    f = await roomFixture(db, { delegates: 3 });
    const id = (u: string) => f.userIds.get(u) ?? '';
    await db.insert(attendance).values([
      { meetingId: f.meetingId, userId: id('chair'), present: true, source: 'self' },
      { meetingId: f.meetingId, userId: id('delegate01'), present: true, source: 'self' },
      { meetingId: f.meetingId, userId: id('delegate02'), present: true, source: 'staff' },
      { meetingId: f.meetingId, userId: id('delegate03'), present: false, reason: 'Đi công tác', source: 'staff' },
    ]);
    const options = JSON.stringify([
      { id: 'yes', label: 'Tán thành' },
      { id: 'no', label: 'Không tán thành' },
      { id: 'abstain', label: 'Không biểu quyết' },
    ]);
    const [poll] = await db
      .insert(polls)
      .values({ meetingId: f.meetingId, itemId: f.itemId, title: 'Thông qua dự toán ngân sách năm 2027', kind: 'yes_no_abstain', options, secret: false, base: 'all', thresholdNum: 1, thresholdDen: 2, thresholdStrict: true, correction: 'final', hideTally: false, status: 'closed', openedAt: new Date(), closedAt: new Date(), eligibleAtClose: 4, presentAtClose: 3 })
      .returning();
    await db.insert(namedBallots).values([
      { id: randomUUID(), pollId: poll?.id ?? '', voterId: id('chair'), choice: '["yes"]' },
      { id: randomUUID(), pollId: poll?.id ?? '', voterId: id('delegate01'), choice: '["yes"]' },
      { id: randomUUID(), pollId: poll?.id ?? '', voterId: id('delegate02'), choice: '["yes"]' },
    ]);
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
  });
  const close = () => srv.server.ctx.db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, f.meetingId));
  afterAll(async () => {
    await srv.close();
  });

  it('generates Vietnamese minutes of a closed meeting from the database; chair then secretary sign them incrementally', async () => {
    const api = new Api(srv.url);
    const [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
    expect((await chair.post(`/api/meetings/${f.meetingId}/minutes`, {})).status).toBe(409); // still published
    await close();
    expect((await delegate.post(`/api/meetings/${f.meetingId}/minutes`, {})).status).toBe(403);
    const r = await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' });
    expect(r.status).toBe(201);
    const { document, slots } = MinutesResponse.parse(r.body);
    const pdf = await fetchBytes(chair, `/api/documents/${document.id}/content`);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = pdfText(pdf);
      expect(text).toContain('BIÊN BẢN KỲ HỌP');
      expect(text).toContain('Thông qua dự toán ngân sách năm 2027');
      expect(text).toContain('THÔNG QUA');
      expect(text).toContain('Có mặt 3/4 đại biểu');
      expect(text).toContain('Đi công tác');
    }
    const signer = async (username: string) => {
      const res = await admin.post('/api/signatures/certificates', { userId: f.userIds.get(username), password: 'p12-password' });
      return signerFromPkcs12(Buffer.from(IssueCertificateResponse.parse(res.body).pkcs12Base64, 'base64'), 'p12-password');
    };
    const slot = (name: string) => slots.find((s) => s.fieldName === name) ?? { fieldName: name, page: 0, rect: { x: 0, y: 0, width: 10, height: 10 } };
    const sec = slot('ThuKy');
    const ch = slot('ChuToa');
    const secretarySigner = await signer('secretary');
    // The secretary's (organization) signature comes last: signing first is refused.
    const early = await signPdf(pdf, secretarySigner, { fieldName: sec.fieldName, page: sec.page, rect: sec.rect, stamp: { name: 'Thư ký', title: 'Thư ký kỳ họp' } });
    expect(await upload(secretary, `/api/documents/${document.id}/signed-revisions`, early)).toBe(409);
    const one = await signPdf(pdf, await signer('chair'), { fieldName: ch.fieldName, page: ch.page, rect: ch.rect, stamp: { name: 'Chủ tọa', title: 'Chủ tịch HĐND' } });
    expect(await upload(chair, `/api/documents/${document.id}/signed-revisions`, one)).toBe(201);
    const two = await signPdf(one, secretarySigner, { fieldName: sec.fieldName, page: sec.page, rect: sec.rect, stamp: { name: 'Thư ký', title: 'Thư ký kỳ họp' } });
    expect(await upload(secretary, `/api/documents/${document.id}/signed-revisions`, two)).toBe(201);
    const report = VerifyReport.parse((await delegate.post(`/api/documents/${document.id}/verify`)).body);
    expect(report.signatures.map((s) => [s.fieldName, s.trusted])).toEqual([
      ['ChuToa', true],
      ['ThuKy', true],
    ]);

    const en = await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'en' });
    expect(en.status).toBe(201);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = pdfText(await fetchBytes(chair, `/api/documents/${MinutesResponse.parse(en.body).document.id}/content`));
      expect(text).toContain('MINUTES OF THE SESSION');
      expect(text).toContain('PASSED');
    }
  });

  it('signs the minutes in the app: the server prepares, the desktop vault signs the digest, the server embeds; members get the signed file', async () => {
    await close();
    const api = new Api(srv.url);
    const [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
    const gen = await secretary.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' });
    expect(gen.status).toBe(201);
    const docId = MinutesResponse.parse(gen.body).document.id;

    // Each signer's desktop vault, exactly the code the Electron main process runs (safeStorage aside).
    const dir = mkdtempSync(join(tmpdir(), 'ecab-minutes-vault-'));
    const vaultFor = (username: string) => issuedVault(admin, f.userIds.get(username), dir, username);
    const chairVault = await vaultFor('chair');
    const secretaryVault = await vaultFor('secretary');
    const pem = async (v: Vault) => {
      const c = await v.certificate();
      return [c.certificate, ...c.chain].join('\n');
    };
    const prepare = (who: Api, v: Vault, fieldName: string) => pem(v).then((certificate) => who.post(`/api/documents/${docId}/signing`, { fieldName, certificate }));
    const signWith = async (who: Api, v: Vault, fieldName: string) => {
      const r = await prepare(who, v, fieldName);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const p = PrepareSigningResponse.parse(r.body);
      // The client hashes what it is asked to sign; only that digest goes to the vault, only the signature comes back.
      const digest = createHash('sha256').update(Buffer.from(p.signedAttributes, 'base64')).digest();
      expect(digest.toString('base64')).toBe(p.digest);
      const signature = await v.signDigest(digest);
      return who.post(`/api/documents/${docId}/signing/${p.sessionId}`, { signature: signature.toString('base64') });
    };

    expect((await prepare(delegate, chairVault, 'ChuToa')).status).toBe(404); // delegates do not even see a draft
    expect((await prepare(secretary, secretaryVault, 'ThuKy')).status).toBe(409); // the chair signs first
    expect((await prepare(chair, chairVault, 'ThuKy')).status).toBe(403); // not the chair's box
    expect((await prepare(chair, secretaryVault, 'ChuToa')).status).toBe(400); // someone else's certificate

    // A signature by another key is refused at completion and leaves the document unchanged.
    const p = PrepareSigningResponse.parse((await prepare(chair, chairVault, 'ChuToa')).body);
    const forged = await secretaryVault.signDigest(Buffer.from(p.digest, 'base64'));
    const bad = await chair.post(`/api/documents/${docId}/signing/${p.sessionId}`, { signature: forged.toString('base64') });
    expect(bad.status).toBe(400);

    const first = await signWith(chair, chairVault, 'ChuToa');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await signWith(secretary, secretaryVault, 'ThuKy');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect((await prepare(chair, chairVault, 'ChuToa')).status).toBe(409); // already signed

    // Members: the listing says complete, the manifest carries the signed revision, the report is valid.
    const list = MinutesList.parse((await delegate.get(`/api/meetings/${f.meetingId}/minutes`)).body);
    const entry = list.minutes.find((m) => m.document.id === docId);
    expect(entry?.complete).toBe(true);
    expect(entry?.slots.map((s) => [s.fieldName, s.signedBy !== null])).toEqual([
      ['ChuToa', true],
      ['ThuKy', true],
    ]);
    const manifest = PackageManifest.parse((await delegate.get(`/api/meetings/${f.meetingId}/package`)).body);
    const listed = manifest.documents.find((d) => d.id === docId);
    const bytes = await fetchBytes(delegate, `/api/documents/${docId}/content`);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(listed?.sha256);
    const report = VerifyReport.parse((await delegate.post(`/api/documents/${docId}/verify`)).body);
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s) => [s.fieldName, s.trusted, s.coversWholeDocument])).toEqual([
      ['ChuToa', true, false],
      ['ThuKy', true, true],
    ]);
    const [chairUser] = await srv.server.ctx.db.select({ name: users.displayName }).from(users).where(eq(users.username, 'chair'));
    expect(report.signatures[0]?.signerName).toBe(chairUser?.name);
    if (existsSync('/usr/bin/pdfsig')) {
      const file = join(dir, 'signed.pdf');
      writeFileSync(file, bytes);
      const out = execFileSync('pdfsig', [file]).toString();
      expect(out.match(/Signature Validation: Signature is Valid\./g)?.length).toBe(2);
    }
  });

  it("the renderer's signing code with the vault as platform.signing (what the Electron preload maps) signs chair then secretary", async () => {
    await close();
    const api = new Api(srv.url);
    const [admin, chair, secretary] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary')]);
    const gen = await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'en' });
    const docId = MinutesResponse.parse(gen.body).document.id;
    const dir = mkdtempSync(join(tmpdir(), 'ecab-minutes-renderer-'));
    const chairPlatform = vaultSigning(await issuedVault(admin, f.userIds.get('chair'), dir, 'chair'));
    const secretaryPlatform = vaultSigning(await issuedVault(admin, f.userIds.get('secretary'), dir, 'secretary'));
    expect(await signDocumentBox(chairPlatform, remoteSigningAs(chair), docId, 'ChuToa', 'en')).toEqual({ ok: true, value: undefined });
    expect(await signDocumentBox(secretaryPlatform, remoteSigningAs(secretary), docId, 'ThuKy', 'en')).toEqual({ ok: true, value: undefined });
    const report = VerifyReport.parse((await chair.post(`/api/documents/${docId}/verify`)).body);
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['ChuToa', 'ThuKy']);
  });
});
