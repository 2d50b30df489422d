import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { agendaItems, blobs, documents, meetingMembers, meetings, userCertificates, users } from '../../server/db/schema';
import { DEMO_COUNCIL, demoUsers, seedDemoIfEmpty } from '../../seeds/demo';
import { demoCertDir } from '../../seeds/demo-certs';
import { certInfo, pemToDer } from '../../server/signatures/cert-info';
import { checkChain } from '../../server/signatures/chain';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signPdf } from '../../server/signatures/pdf-sign';
import { verifyPdf } from '../../server/signatures/pdf-verify';
import { loadTrustStore } from '../../server/signatures/trust-store';

const HAS_PDFTOTEXT = !spawnSync('pdftotext', ['-v']).error;
const PDFTOTEXT_NOTE = HAS_PDFTOTEXT ? '' : ' (SKIPPED: pdftotext not installed; apt-get install -y poppler-utils)';

function pdfText(path: string, first?: number, last?: number): string {
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  return execFileSync('pdftotext', [...range, path, '-'], { encoding: 'utf8' });
}

describe.each(storages())('demo seed on %s', (storage) => {
  let srv: TestServer;

  beforeAll(async () => {
    srv = await startServer({ storage });
    // How long seeding takes is a benchmark's business (docs/benchmarks.md), not a timed assertion here:
    // on two shared cores the wall clock says more about the neighbours than about the seed.
    expect(await seedDemoIfEmpty(srv.server.ctx)).toBe(true);
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('seeds only an empty database', async () => {
    const { db } = srv.server.ctx;
    const before = await db.select({ n: count() }).from(documents);
    expect(await seedDemoIfEmpty(srv.server.ctx)).toBe(false);
    expect(await db.select({ n: count() }).from(documents)).toEqual(before);
    const prod = { ...srv.server.ctx, config: { ...srv.server.ctx.config, production: true } };
    await expect(seedDemoIfEmpty(prod)).rejects.toThrow(/production/);
  });

  it('has the accounts of docs/architecture.md plus observer01, who observes the meeting', async () => {
    const { db } = srv.server.ctx;
    const rows = await db.select({ username: users.username, role: users.role }).from(users);
    const names = rows.map((r) => r.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'secretary', 'chair', 'delegate01', 'delegate30', 'observer01']));
    expect(rows.filter((r) => r.role === 'delegate')).toHaveLength(30);
    const [obs] = await db
      .select({ role: meetingMembers.role })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(eq(users.username, 'observer01'));
    expect(obs?.role).toBe('observer');
    await new Api(srv.url).login('observer01');
  });

  it('publishes a meeting with 6 agenda items (one nested child) and their documents', async () => {
    const { db } = srv.server.ctx;
    const [meeting] = await db.select().from(meetings);
    expect(meeting?.status).toBe('published');
    const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meeting!.id)).orderBy(asc(agendaItems.position));
    const top = items.filter((i) => i.parentId === null);
    expect(top).toHaveLength(6);
    expect(top.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(top.map((i) => i.kind))).toEqual(new Set(['report', 'resolution', 'election']));
    const children = items.filter((i) => i.parentId !== null);
    expect(children).toHaveLength(1);
    expect(top.map((i) => i.id)).toContain(children[0]?.parentId);

    const docs = await db.select().from(documents).where(eq(documents.meetingId, meeting!.id));
    expect(docs.length).toBeGreaterThanOrEqual(5);
    expect(docs.some((d) => d.pages >= 100)).toBe(true);
    expect(docs.some((d) => d.confidentiality === 'confidential')).toBe(true);
    expect(docs.filter((d) => d.name.startsWith('Dự thảo Nghị quyết')).length).toBeGreaterThanOrEqual(2);
    for (const d of docs) {
      // Stored through the BlobStore: the file is named by its content's sha256.
      const bytes = readFileSync(srv.server.ctx.blobs.pathOf(d.sha256));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
      expect(bytes.length).toBe(d.size);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, d.sha256));
      expect(blob?.size).toBe(d.size);
    }
  });

  it(`embeds a font so Vietnamese text extracts exactly${PDFTOTEXT_NOTE}`, async (ctx) => {
    if (!HAS_PDFTOTEXT) {
      ctx.skip();
    }
    const { db, blobs: store } = srv.server.ctx;
    const docs = await db.select().from(documents);
    const report = docs.find((d) => d.pages >= 100)!;
    const path = store.pathOf(report.sha256);
    const first = pdfText(path, 1, 1);
    expect(first).toContain('Tình hình kinh tế - xã hội năm 2026');
    expect(first).toContain('HỘI ĐỒNG NHÂN DÂN XÃ TÀ XÙA');
    expect(pdfText(path, 1, 3)).toMatch(/Chỉ tiêu\s+Đơn vị\s+Kế hoạch\s+Thực hiện\s+Tỷ lệ \(%\)/);
    expect(first).toContain(`Trang 1/${report.pages}`);
    expect(pdfText(path, report.pages)).toContain(`Trang ${report.pages}/${report.pages}`);
    expect(execFileSync('pdfinfo', [path], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${report.pages}`));

    const draft = docs.find((d) => d.name.startsWith('Dự thảo Nghị quyết'))!;
    const draftText = pdfText(store.pathOf(draft.sha256));
    expect(draftText).toContain('QUYẾT NGHỊ:');
    expect(draftText).toContain('Điều 1.');
    expect(draftText).toContain('Luật Tổ chức chính quyền địa phương');

    // The scanned paper is raster only: pages, but no text layer.
    const scanned = docs.find((d) => d.name.includes('bản quét'))!;
    expect(scanned.pages).toBeGreaterThan(1);
    expect(pdfText(store.pathOf(scanned.sha256)).trim()).toBe('');
  });

  it('issues org-CA signing certificates with Vietnamese names; the p12 files open with the demo password', async () => {
    const { db, config } = srv.server.ctx;
    const rows = await db
      .select({ username: users.username, displayName: users.displayName, certPem: userCertificates.certPem, sha: userCertificates.certSha256 })
      .from(userCertificates)
      .innerJoin(users, eq(users.id, userCertificates.userId));
    const signers = demoUsers().filter((u) => ['chair', 'secretary', 'delegate'].includes(u.role));
    expect(rows.map((r) => r.username).sort()).toEqual(signers.map((u) => u.username).sort());
    const trust = await loadTrustStore(config.dataDir);
    const [caDer] = pemToDer(readFileSync(join(config.dataDir, 'ca', 'ca-cert.pem'), 'utf8'));
    const ca = certInfo(caDer!);
    expect(ca.isCa).toBe(true);
    for (const r of rows) {
      const [der] = pemToDer(r.certPem);
      const info = certInfo(der!);
      expect(info.sha256).toBe(r.sha);
      // UTF-8 names survive: CN, title and organization read back through node's X509 parser.
      expect(info.subjectCn).toBe(r.displayName);
      expect(info.x509.subject).toContain(`O=${DEMO_COUNCIL}`);
      expect(info.keyUsage).toEqual(new Set(['digitalSignature', 'nonRepudiation']));
      const chain = checkChain(info, [], trust, new Date());
      expect(chain.problems).toEqual([]);
      expect(chain.trusted).toBe(true);
      expect(chain.path.at(-1)?.sha256).toBe(ca.sha256);
    }
    const chair = rows.find((r) => r.username === 'chair')!;
    expect(chair.displayName).toBe('Nguyễn Văn Thắng');
    expect(certInfo(pemToDer(chair.certPem)[0]!).x509.subject).toContain('Chủ tịch HĐND xã');

    // node-forge opens the delivered PKCS#12 with demo1234 (and refuses a wrong password).
    const p12 = readFileSync(join(demoCertDir(config.dataDir), 'delegate07.p12'));
    const asn = forge.asn1.fromDer(p12.toString('binary'));
    const pfx = forge.pkcs12.pkcs12FromAsn1(asn, 'demo1234');
    const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
    expect(certBags.length).toBe(2);
    expect(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), 'wrong')).toThrow();
    const own = rows.find((r) => r.username === 'delegate07')!;
    expect(certBags.some((b) => b.cert && forge.pki.certificateToPem(b.cert).trim() === own.certPem.trim())).toBe(true);
  });

  it("signs a seeded PDF with the chair's demo p12 and verifies it as trusted", async () => {
    const { db, config, blobs: store } = srv.server.ctx;
    const docs = await db.select().from(documents);
    const draft = docs.find((d) => d.name.startsWith('Dự thảo Nghị quyết'))!;
    const signer = signerFromPkcs12(readFileSync(join(demoCertDir(config.dataDir), 'chair.p12')), 'demo1234');
    const signed = await signPdf(new Uint8Array(readFileSync(store.pathOf(draft.sha256))), signer, {
      fieldName: 'ChuToa',
      page: 0,
      rect: { x: 320, y: 60, width: 230, height: 70 },
      stamp: { name: 'Nguyễn Văn Thắng', title: 'Chủ tịch HĐND xã', organization: DEMO_COUNCIL },
    });
    const report = await verifyPdf(signed, { trust: await loadTrustStore(config.dataDir) });
    expect(report.signatures).toHaveLength(1);
    // Signed without a time-stamp authority: PAdES B-B, whose signing time is only the signer's claim.
    expect(report.signatures[0]?.checks.find((c) => c.name === 'timestamp')?.status).toBe('unknown');
    expect(report.signatures[0]?.checks.filter((c) => c.status !== 'ok' && c.name !== 'timestamp')).toEqual([]);
    expect(report.valid).toBe(true);
  });
});
