import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishCrl, revokeCert, type IssuedCert } from '../../server/signatures/ca';
import { signPdf, type PdfSignOptions } from '../../server/signatures/pdf-sign';
import { verifyPdf } from '../../server/signatures/pdf-verify';
import { loadTrustStore, type TrustStore } from '../../server/signatures/trust-store';
import type { SignatureReport } from '../../shared/signatures/report';
import { makeCa, member, samplePdf, sealPng, signerOf, STAMP_RECT } from '../unit/signatures-fixtures';

const hasPdfsig = existsSync('/usr/bin/pdfsig');
const hasCertutil = existsSync('/usr/bin/certutil');

const opts = (fieldName: string, name: string, extra: Partial<PdfSignOptions> = {}): PdfSignOptions => ({
  fieldName,
  page: 0,
  rect: STAMP_RECT,
  stamp: { name, title: 'Chủ tọa kỳ họp', organization: 'Hội đồng nhân dân tỉnh Thử Nghiệm' },
  ...extra,
});

const status = (r: SignatureReport | undefined, name: string) => r?.checks.find((c) => c.name === name);

/** pdfsig with a throw-away NSS database that trusts our root (pdfsig validates chains through NSS). */
function pdfsig(pdf: Uint8Array, rootPem?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-nss-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  const args = [file];
  if (rootPem && hasCertutil) {
    execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'root', '-t', 'CT,C,C', '-i', rootPem]);
    args.unshift('-nssdir', `sql:${dir}`);
  }
  const r = spawnSync('pdfsig', args, { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

describe('PDF signatures', () => {
  let dir: string;
  let chair: IssuedCert;
  let secretary: IssuedCert;
  let delegate: IssuedCert;
  let trust: TrustStore;
  let rootPem: string;

  beforeAll(async () => {
    dir = await makeCa();
    rootPem = join(dir, 'ca', 'ca-cert.pem');
    chair = await member(dir, 'Nguyễn Văn Chủ Tọa', { title: 'Chủ tịch HĐND' });
    secretary = await member(dir, 'Trần Thị Thư Ký', { title: 'Thư ký kỳ họp' });
    delegate = await member(dir, 'Lê Đại Biểu');
    await publishCrl(dir);
    trust = await loadTrustStore(dir);
  });

  it('two signers on a PDF with object streams: both valid, pdfsig agrees and trusts the chain', async () => {
    let pdf = await samplePdf(3, true);
    pdf = await signPdf(pdf, signerOf(chair), opts('ChuToa', 'Nguyễn Văn Chủ Tọa', { page: 2 }));
    pdf = await signPdf(pdf, signerOf(secretary), opts('DauCoQuan', 'Hội đồng nhân dân tỉnh', { page: 2, rect: { x: 60, y: 60, width: 230, height: 70 }, image: sealPng() }));
    const report = await verifyPdf(pdf, { trust });
    expect(report.signatures.map((s) => [s.fieldName, s.trusted])).toEqual([
      ['ChuToa', true],
      ['DauCoQuan', true],
    ]);
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.coversWholeDocument).toBe(false);
    expect(report.signatures[1]?.coversWholeDocument).toBe(true);
    expect(report.signatures[0]?.signerName).toBe('Nguyễn Văn Chủ Tọa');
    expect(status(report.signatures[0], 'certificateBinding')?.detail).toMatch(/signing-certificate-v2/);
    expect(status(report.signatures[0], 'revocation')?.status).toBe('ok');
    if (hasPdfsig) {
      const out = pdfsig(pdf, rootPem);
      expect(out.match(/Signature is Valid/g)?.length).toBe(2);
      expect(out).toContain('ETSI.CAdES.detached');
      if (hasCertutil) {
        expect(out.match(/Certificate is Trusted/g)?.length).toBe(2);
      }
    }
  });

  it('three signers in order on a classic-xref PDF stay valid', async () => {
    let pdf = await samplePdf(2, false);
    const signers: [string, IssuedCert][] = [
      ['A', chair],
      ['B', secretary],
      ['C', delegate],
    ];
    for (const [i, [field, who]] of signers.entries()) {
      pdf = await signPdf(pdf, signerOf(who), opts(field, `Người ký ${field}`, { rect: { x: 40 + i * 180, y: 40, width: 170, height: 60 } }));
    }
    const report = await verifyPdf(pdf, { trust });
    expect(report.signatures.map((s) => s.trusted)).toEqual([true, true, true]);
    if (hasPdfsig) {
      expect(pdfsig(pdf).match(/Signature is Valid/g)?.length).toBe(3);
    }
    await expect(signPdf(pdf, signerOf(chair), opts('A', 'x'))).rejects.toThrow(/already exists/);
  });

  it('a tampered byte breaks the digest', async () => {
    const pdf = await signPdf(await samplePdf(1), signerOf(chair), opts('S', 'Nguyễn Văn Chủ Tọa'));
    const i = Buffer.from(pdf).indexOf('/MediaBox');
    const bad = Uint8Array.from(pdf);
    bad[i + 12] = bad[i + 12] === 0x35 ? 0x36 : 0x35; // a digit of the page size
    const r = (await verifyPdf(bad, { trust })).signatures[0];
    expect(r?.intact).toBe(false);
    expect(status(r, 'digest')?.status).toBe('failed');
    expect(status(r, 'digest')?.detail).toMatch(/digest mismatch/);
    if (hasPdfsig) {
      expect(pdfsig(bad)).not.toMatch(/Signature is Valid/);
    }
  });

  it('rejects a ByteRange that leaves bytes unsigned or points outside the file', async () => {
    const pdf = await signPdf(await samplePdf(1), signerOf(chair), opts('S', 'Nguyễn Văn Chủ Tọa'));
    const text = Buffer.from(pdf).toString('latin1');
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text);
    expect(m).not.toBeNull();
    const rewrite = (last: number) => {
      const old = m?.[0] ?? '';
      const next = `/ByteRange [0 ${m?.[1]} ${m?.[2]} ${last}]`.padEnd(old.length, ' ');
      return Buffer.from(text.replace(old, next), 'latin1');
    };
    const short = (await verifyPdf(rewrite(Number(m?.[3]) - 20), { trust })).signatures[0];
    expect(status(short, 'byteRange')?.status).toBe('failed');
    expect(status(short, 'byteRange')?.detail).toMatch(/%%EOF/);
    const outside = (await verifyPdf(rewrite(Number(m?.[3]) + 5000), { trust })).signatures[0];
    expect(status(outside, 'byteRange')?.detail).toMatch(/outside the file/);
    expect(outside?.trusted).toBe(false);
  });

  it('flags page content edited and annotations added after signing (pdfsig does not)', async () => {
    const signed = await signPdf(await samplePdf(2), signerOf(chair), opts('S', 'Nguyễn Văn Chủ Tọa'));
    const doc = await PDFDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.getPages()[1]?.drawText('Article 99: added after signing', { x: 50, y: 100, font, size: 12 });
    const edited = await doc.commit();
    const r = (await verifyPdf(edited, { trust })).signatures[0];
    expect(status(r, 'digest')?.status).toBe('ok');
    expect(r?.trusted).toBe(false);
    expect(r?.modifications.join()).toMatch(/page 2: content/);
    if (hasPdfsig) {
      expect(pdfsig(edited)).toMatch(/Signature is Valid/);
    }

    const doc2 = await PDFDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
    const note = doc2.context.register(doc2.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], Contents: 'x' }));
    const page = doc2.getPages()[0];
    page?.node.set(PDFName.of('Annots'), doc2.context.obj([...(page.node.Annots()?.asArray() ?? []), note]));
    const annotated = await doc2.commit();
    const r2 = (await verifyPdf(annotated, { trust })).signatures[0];
    expect(r2?.modifications).toEqual(['page 1: Text annotation added']);
  });

  it('rejects a foreign chain, expired, not-yet-valid, revoked and wrong-usage certificates with reasons', async () => {
    const pdf = await samplePdf(1);
    const check = async (who: IssuedCert, name: string, expected: RegExp) => {
      const r = (await verifyPdf(await signPdf(pdf, signerOf(who), opts('S', 'x')), { trust })).signatures[0];
      expect(r?.intact).toBe(true);
      expect(r?.trusted).toBe(false);
      expect(status(r, name)?.status).toBe('failed');
      expect(status(r, name)?.detail).toMatch(expected);
    };
    const foreign = await member(await makeCa('CA Khác'), 'Người Ngoài');
    await check(foreign, 'chain', /no path to a trusted root/);
    await check(await member(dir, 'Hết Hạn', { notBefore: new Date(Date.now() - 400 * 86_400_000), days: 30 }), 'validity', /expired/);
    await check(await member(dir, 'Chưa Hiệu Lực', { notBefore: new Date(Date.now() + 5 * 86_400_000) }), 'validity', /not yet valid/);
    await check(await member(dir, 'Sai Mục Đích', { keyUsage: { keyEncipherment: true } }), 'keyUsage', /key usage/);
    const revoked = await member(dir, 'Bị Thu Hồi');
    await revokeCert(dir, revoked.serialHex, 'keyCompromise');
    await publishCrl(dir);
    trust = await loadTrustStore(dir);
    await check(revoked, 'revocation', /revoked/);
  });

  it('signs and verifies a 100-page document', async () => {
    const pdf = await samplePdf(100, true);
    const t0 = performance.now();
    const signed = await signPdf(pdf, signerOf(chair), opts('S', 'Nguyễn Văn Chủ Tọa', { page: 99 }));
    const twice = await signPdf(signed, signerOf(secretary), opts('T', 'Trần Thị Thư Ký', { page: 99, rect: { x: 60, y: 60, width: 200, height: 60 } }));
    const report = await verifyPdf(twice, { trust });
    expect(report.signatures.map((s) => s.trusted)).toEqual([true, true]);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});
