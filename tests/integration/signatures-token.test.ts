import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Vault } from '../../electron/main/services/vault';
import { meetings } from '../../server/db/schema';
import { initCa } from '../../server/signatures/ca';
import { verifyDetachedCms } from '../../server/signatures/cms-verify';
import { readTlv } from '../../server/signatures/der';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { signatureCommands } from '../../server/cli/commands/signatures';
import { signatureTimestampToken } from '../../server/signatures/tst-verify';
import { signDocumentBox } from '../../renderer/src/minutes/sign-minutes';
import { DocumentMeta } from '../../shared/api/documents';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { VerifyReport } from '../../shared/signatures/report';
import { Api } from '../helpers/http';
import { ProcessSafeStorage } from '../helpers/safe-storage';
import { startServer, type TestServer } from '../helpers/server';
import { createSoftToken, softHsmMissing, type SoftToken } from '../helpers/softhsm';
import { remoteSigningAs, vaultSigning } from '../helpers/vault-signing';
import { samplePdf } from '../unit/signatures-fixtures';
import { roomFixture, type RoomFixture } from './room-helpers';

const missing = softHsmMissing();
if (missing) {
  console.warn(`SKIPPED signatures-token tests: ${missing}`);
}

/** Every CMS in a PDF's signature /Contents, in file order. */
function allCms(pdf: Uint8Array): Uint8Array[] {
  const text = Buffer.from(pdf).toString('latin1');
  return [...text.matchAll(/\/Contents <([0-9a-fA-F]{200,})>/g)].map((m) => readTlv(Buffer.from(m[1] ?? '', 'hex')).raw);
}

/** pdfsig with a throw-away NSS database that trusts the organization CA. */
function pdfsig(pdf: Uint8Array, caPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-nss-'));
  writeFileSync(join(dir, 'doc.pdf'), pdf);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'org-ca', '-t', 'CT,C,C', '-i', caPem]);
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${dir}`, join(dir, 'doc.pdf')], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

describe.skipIf(missing !== null)('USB-token (PKCS#11, SoftHSM2) signatures', () => {
  let srv: TestServer;
  let f: RoomFixture;
  let token: SoftToken;
  const dir = mkdtempSync(join(tmpdir(), 'ecab-token-'));
  let caPem: string;

  beforeAll(async () => {
    // One storage: the flow is the signing code's; signatures-minutes.test.ts covers both storages.
    srv = await startServer({ seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 2 });
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND xã Tà Xùa', keyBits: 2048 });
    caPem = join(srv.dataDir, 'ca', 'ca-cert.pem');
  }, 600_000);
  afterAll(async () => {
    token?.close();
    await srv?.close();
  });

  // A long flow (minutes, two remote signatures, time-stamps, pdfsig, openssl) on a shared 2-core machine.
  it('the chair signs the minutes with a token through the desktop vault, the secretary with a p12: pdfsig trusts both, the time-stamps verify with openssl, the first signature certifies (DocMDP)', { timeout: 600_000 }, async () => {
    const api = new Api(srv.url);
    const [admin, chair, secretary] = await Promise.all([api.login('admin'), api.login('chair'), api.login('secretary')]);
    await srv.server.ctx.db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, f.meetingId));
    const gen = await chair.post(`/api/meetings/${f.meetingId}/minutes`, { lang: 'vi' });
    expect(gen.status, JSON.stringify(gen.body)).toBe(201);
    const docId = z.object({ document: DocumentMeta }).parse(gen.body).document.id;
    const issue = async (username: string) => {
      const res = await admin.post('/api/signatures/certificates', { userId: f.userIds.get(username), password: 'p12-password' });
      return Buffer.from(IssueCertificateResponse.parse(res.body).pkcs12Base64, 'base64');
    };

    // The chair's key pair goes onto a token (as the CA would deliver it); the vault only learns where it is.
    const chairKey = signerFromPkcs12(await issue('chair'), 'p12-password');
    token = createSoftToken({ label: 'Chu toa', keyPem: chairKey.keyPem, certDer: chairKey.certificates[0] ?? new Uint8Array() });
    const chairVault = new Vault({ file: join(dir, 'chair.json'), safeStorage: new ProcessSafeStorage() });
    const onToken = chairVault.tokenCertificates(token.module);
    expect(onToken).toHaveLength(1);
    expect(onToken[0]?.certificate.subject).toContain('CN=');
    await chairVault.useToken(token.module, onToken[0]?.tokenSerial ?? '', onToken[0]?.id ?? '');
    expect(await chairVault.source()).toBe('pkcs11');
    expect(readFileSync(join(dir, 'chair.json'), 'utf8')).not.toContain('PRIVATE KEY');
    const secretaryVault = new Vault({ file: join(dir, 'secretary.json'), safeStorage: new ProcessSafeStorage() });
    await secretaryVault.import(await issue('secretary'), 'p12-password');

    // A wrong PIN is refused by the token with a clear code; nothing is recorded.
    expect(await signDocumentBox(vaultSigning(chairVault, '000000'), remoteSigningAs(chair), docId, 'ChuToa', 'vi')).toMatchObject({ ok: false, error: { code: 'TOKEN_PIN_INCORRECT' } });
    expect(await signDocumentBox(vaultSigning(chairVault), remoteSigningAs(chair), docId, 'ChuToa', 'vi')).toMatchObject({ ok: false, error: { code: 'TOKEN_PIN_REQUIRED' } });
    expect(await signDocumentBox(vaultSigning(chairVault, token.pin), remoteSigningAs(chair), docId, 'ChuToa', 'vi')).toEqual({ ok: true, value: undefined });
    expect(await signDocumentBox(vaultSigning(secretaryVault), remoteSigningAs(secretary), docId, 'ThuKy', 'vi')).toEqual({ ok: true, value: undefined });

    const report = VerifyReport.parse((await chair.post(`/api/documents/${docId}/verify`)).body);
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s) => [s.fieldName, s.trusted, s.certification])).toEqual([
      ['ChuToa', true, 2],
      ['ThuKy', true, null],
    ]);
    for (const s of report.signatures) {
      expect(s.checks.find((c) => c.name === 'timestamp')?.status).toBe('ok');
    }

    const res = await fetch(`${srv.url}/api/documents/${docId}/content`, { headers: { authorization: `Bearer ${chair.token ?? ''}` } });
    const pdf = new Uint8Array(await res.arrayBuffer());
    const text = Buffer.from(pdf).toString('latin1');
    expect(text).toMatch(/\/TransformMethod \/DocMDP/);
    expect(text).toMatch(/\/Perms <<\s*\/DocMDP \d+ 0 R/);
    const out = pdfsig(pdf, caPem);
    expect(out.match(/Signature Validation: Signature is Valid\./g)?.length, out).toBe(2);
    expect(out.match(/Certificate Validation: Certificate is Trusted\./g)?.length, out).toBe(2);

    // Each signature's RFC 3161 token, checked by openssl over SHA-256 of that signature value.
    const cmss = allCms(pdf);
    expect(cmss).toHaveLength(2);
    for (const [i, raw] of cmss.entries()) {
      const cms = verifyDetachedCms(raw, { digestOf: () => new Uint8Array(32) });
      const tokenFile = join(dir, `tst-${i}.der`);
      writeFileSync(tokenFile, signatureTimestampToken(cms) ?? new Uint8Array());
      const digest = createHash('sha256').update(cms.signatureValue).digest('hex');
      const v = spawnSync('openssl', ['ts', '-verify', '-digest', digest, '-in', tokenFile, '-token_in', '-CAfile', caPem], { encoding: 'utf8' });
      expect(v.stdout + v.stderr).toContain('Verification: OK');
    }
  });

  it('pdf sign --pkcs11 MODULE --slot N --pin-env VAR signs on the token', { timeout: 300_000 }, async () => {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, await samplePdf(1));
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const cmd = signatureCommands.find((c) => c.name === 'pdf sign');
      try {
        const code = await cmd?.run(['--data', srv.dataDir, ...args], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
        return { code, out: lines.join('\n') };
      } catch (e) {
        return { code: -1, out: (e as Error).message };
      }
    };
    const base = [input, '--pkcs11', token.module, '--slot', '0', '--field', 'ChuToa', '--page', '1', '--rect', '300,60,230,70'];
    process.env.ECAB_TEST_TOKEN_PIN = 'wrong-pin';
    expect((await run([...base, '--out', join(dir, 'x.pdf'), '--pin-env', 'ECAB_TEST_TOKEN_PIN'])).out).toMatch(/PIN is wrong/);
    process.env.ECAB_TEST_TOKEN_PIN = token.pin;
    const ok = await run([...base, '--out', join(dir, 'token.pdf'), '--pin-env', 'ECAB_TEST_TOKEN_PIN']);
    expect(ok.code, ok.out).toBe(0);
    const verify = signatureCommands.find((c) => c.name === 'pdf verify');
    const lines: string[] = [];
    expect(await verify?.run(['--data', srv.dataDir, join(dir, 'token.pdf')], { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
    expect(lines.join('\n')).toContain('Result: all signatures valid and trusted.');
    delete process.env.ECAB_TEST_TOKEN_PIN;
  });
});
