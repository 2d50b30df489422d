import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { attendance, namedBallots, polls } from '../../server/db/schema';
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
  afterAll(async () => {
    await srv.close();
  });

  it('generates Vietnamese minutes from the database; secretary then chair sign them incrementally', async () => {
    const api = new Api(srv.url);
    const [admin, chair, secretary, delegate] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary'), api.login('delegate01')]);
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
    const one = await signPdf(pdf, await signer('secretary'), { fieldName: sec.fieldName, page: sec.page, rect: sec.rect, stamp: { name: 'Thư ký', title: 'Thư ký kỳ họp' } });
    expect(await upload(secretary, `/api/documents/${document.id}/signed-revisions`, one)).toBe(201);
    const ch = slot('ChuToa');
    const two = await signPdf(one, await signer('chair'), { fieldName: ch.fieldName, page: ch.page, rect: ch.rect, stamp: { name: 'Chủ tọa', title: 'Chủ tịch HĐND' } });
    expect(await upload(chair, `/api/documents/${document.id}/signed-revisions`, two)).toBe(201);
    const report = VerifyReport.parse((await delegate.post(`/api/documents/${document.id}/verify`)).body);
    expect(report.signatures.map((s) => [s.fieldName, s.trusted])).toEqual([
      ['ThuKy', true],
      ['ChuToa', true],
    ]);

    const en = await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'en' });
    expect(en.status).toBe(201);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = pdfText(await fetchBytes(chair, `/api/documents/${MinutesResponse.parse(en.body).document.id}/content`));
      expect(text).toContain('MINUTES OF THE SESSION');
      expect(text).toContain('PASSED');
    }
  });
});
