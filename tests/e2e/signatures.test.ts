import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { Vault } from '../../electron/main/services/vault';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signPdf } from '../../server/signatures/pdf-sign';
import { meetings } from '../../server/db/schema';
import { MeetingList } from '../../shared/api/meetings';
import { GenerateMinutesResponse, PrepareSigningResponse } from '../../shared/signatures/minutes';
import { Api } from '../helpers/http';
import { ProcessSafeStorage } from '../helpers/safe-storage';
import { startServer, type TestServer } from '../helpers/server';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

/**
 * Signatures in the browser: the chair and the secretary sign the minutes with their desktop vaults
 * (the demo seed's PKCS#12 files; the vault code runs here in Node, as the Electron main process runs
 * it), then a delegate opens the meeting, sees the badge on the signed minutes and reads its details.
 */
describe('signed minutes in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let vaultDir: string;
  let minutesName = '';
  const EDITED = 'Tờ trình đã ký rồi bị sửa.pdf';

  /** A resolution draft signed by the chair, then edited by an incremental update that redraws page 1. */
  async function signedThenEdited(dataDir: string): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('Resolution draft: budget 2027 = 12,500 million VND', { x: 50, y: 780, font, size: 14 });
    const signer = signerFromPkcs12(readFileSync(join(dataDir, 'demo-certs', 'chair.p12')), 'demo1234');
    const signed = await signPdf(await doc.save(), signer, { fieldName: 'ChuToa', page: 0, rect: { x: 320, y: 60, width: 230, height: 70 }, stamp: { name: 'Nguyễn Văn Thắng' } });
    const later = await PDFDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
    const f2 = await later.embedFont(StandardFonts.Helvetica);
    later.getPages()[0]?.drawText('budget 2027 = 99,000 million VND', { x: 50, y: 740, font: f2, size: 14 });
    return later.commit();
  }

  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    browser = await launch();
    vaultDir = mkdtempSync(join(tmpdir(), 'ecab-e2e-vault-'));
    const api = new Api(server.url);
    const [chair, secretary] = await Promise.all([api.login('chair'), api.login('secretary')]);
    const meeting = MeetingList.parse((await chair.get('/api/meetings')).body).meetings.find((m) => m.status === 'published');
    if (!meeting) {
      throw new Error('demo meeting missing');
    }
    const form = new FormData();
    form.append('confidentiality', 'internal');
    form.append('file', new Blob([Buffer.from(await signedThenEdited(server.dataDir))], { type: 'application/pdf' }), EDITED);
    const up = await fetch(`${server.url}/api/meetings/${meeting.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${secretary.token ?? ''}` }, body: form });
    expect(up.status).toBe(201);
    await server.server.ctx.db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, meeting.id));
    const gen = GenerateMinutesResponse.parse((await secretary.post(`/api/meetings/${meeting.id}/minutes`, { lang: 'vi' })).body);
    minutesName = gen.document.name;
    for (const [who, username, field] of [
      [chair, 'chair', 'ChuToa'],
      [secretary, 'secretary', 'ThuKy'],
    ] as const) {
      const vault = new Vault({ file: join(vaultDir, `${username}.json`), safeStorage: new ProcessSafeStorage() });
      await vault.import(readFileSync(join(server.dataDir, 'demo-certs', `${username}.p12`)), 'demo1234');
      const cert = await vault.certificate();
      const r = await who.post(`/api/documents/${gen.document.id}/signing`, { fieldName: field, certificate: [cert.certificate, ...cert.chain].join('\n') });
      const p = PrepareSigningResponse.parse(r.body);
      const signature = await vault.signDigest(createHash('sha256').update(Buffer.from(p.signedAttributes, 'base64')).digest());
      const done = await who.post(`/api/documents/${gen.document.id}/signing/${p.sessionId}`, { signature: signature.toString('base64') });
      expect(done.status, JSON.stringify(done.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(vaultDir, { recursive: true, force: true });
  });

  it('a delegate sees the valid badge on the signed minutes and opens the signature details', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await signIn(page, server.url, 'delegate01');
    await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    await page.getByRole('navigation', { name: 'Chương trình' }).waitFor();
    await page.getByRole('button', { name: `Mở tài liệu ${minutesName}` }).waitFor();
    const badge = page.getByRole('button', { name: `Chữ ký số: Chữ ký hợp lệ — xem chi tiết chữ ký của ${minutesName}` });
    await badge.waitFor({ timeout: 30_000 });
    await screenshot(page, 'signatures-01-badge');
    await badge.click();
    const dialog = page.getByRole('dialog', { name: `Chữ ký số – ${minutesName}` });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByText('Cả 2 chữ ký đều hợp lệ và tin cậy.').count()).toBe(1);
    await expect.poll(() => dialog.getByRole('heading', { name: /Chữ ký 1: Nguyễn Văn Thắng — Chữ ký hợp lệ/ }).count()).toBe(1);
    await expect.poll(() => dialog.getByRole('heading', { name: /Chữ ký 2: Lê Thị Thu Hằng — Chữ ký hợp lệ/ }).count()).toBe(1);
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Chuỗi chứng thư: dẫn tới chứng thư gốc tin cậy');
    expect(text).toContain('Tình trạng thu hồi: không bị thu hồi');
    expect(text).toContain('Mục đích sử dụng khóa: cho phép ký số');
    expect(text).toContain('Toàn bộ tài liệu (trừ giá trị chữ ký)');
    expect(text).toContain('Sửa đổi sau khi ký: không có thay đổi nào ngoài các chữ ký sau');
    expect(text).toContain('Lịch sử các lần ký');
    await screenshot(page, 'signatures-02-details');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // The delegate reads the signed minutes in the reader.
    await page.getByRole('button', { name: `Mở tài liệu ${minutesName}` }).click();
    await page.locator('.pdf-page[data-page="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    // Page 2 carries both visible stamps (chair right, secretary left).
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await page.locator('.pdf-page[data-page="2"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await page.locator('.pdf-page[data-page="2"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'signatures-03-reader');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a document edited after signing shows "modified after signing" and lists the change', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await signIn(page, server.url, 'delegate01');
    await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    const badge = page.getByRole('button', { name: `Chữ ký số: Bị sửa sau khi ký — xem chi tiết chữ ký của ${EDITED}` });
    await badge.waitFor({ timeout: 30_000 });
    await badge.click();
    const dialog = page.getByRole('dialog', { name: `Chữ ký số – ${EDITED}` });
    await dialog.waitFor();
    const changes = dialog.getByRole('group', { name: 'Những thay đổi sau khi ký' });
    await changes.getByText('Trang 1: nội dung, tài nguyên hoặc thuộc tính trang bị thay đổi').waitFor();
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Tài liệu đã bị thay đổi sau khi ký');
    expect(text).toContain('Giá trị băm: khớp'); // the signed bytes themselves are intact: the change came later
    expect(text).toContain('Sửa đổi sau khi ký: có thay đổi sau khi ký');
    await screenshot(page, 'signatures-05-modified');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('in the browser the secretary sees the minutes and is told signing needs the desktop app', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    watchErrors(page, errors);
    await signIn(page, server.url, 'secretary');
    await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    const panel = page.getByRole('region', { name: 'Biên bản kỳ họp' });
    await panel.waitFor();
    await panel.getByText('Ký số cần ứng dụng E-Cabinet trên máy tính', { exact: false }).waitFor();
    await expect.poll(() => panel.getByText('Đã ký đủ').count()).toBe(1);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'signatures-04-secretary-web');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
