import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, type IssuedCert } from '../../server/signatures/ca';
import { certInfo } from '../../server/signatures/cert-info';
import { signatureCommands } from '../../server/cli/commands/signatures';
import { CliUsageError } from '../../server/cli/registry';
import { stampFromCertificate } from '../../server/signatures/stamp';
import { ballotSigningBytes, type BallotPayload } from '../../shared/signatures/ballot';
import { makeCa, member, samplePdf } from '../unit/signatures-fixtures';

const DAY = 86_400_000;

/** The signature commands in-process, as `npm run cli` dispatches them (see signatures-cli.test.ts). */
async function cli(data: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const cmd = signatureCommands.find((c) => c.name === args.slice(0, 2).join(' '));
  if (!cmd) {
    throw new Error(`no command ${args.slice(0, 2).join(' ')}`);
  }
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  try {
    return { code: await cmd.run(['--data', data, ...args.slice(2)], io), out: lines.join('\n') };
  } catch (e) {
    return { code: e instanceof CliUsageError ? 2 : 1, out: `${lines.join('\n')}${(e as Error).message}` };
  }
}

describe('stricter signing and verification rules', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ecab-strict-'));
  let data: string;
  let input: string;
  const p12 = (c: IssuedCert, name: string) => {
    const file = join(tmp, `${name}.p12`);
    writeFileSync(file, exportPkcs12(c.keyPem, c.certDer, c.chainDer, 'pw-1234'));
    return file;
  };
  const sign = (file: string, out: string, field = 'S') =>
    cli(data, 'pdf', 'sign', input, '--out', out, '--p12', file, '--password', 'pw-1234', '--field', field, '--page', '1', '--rect', '300,60,230,70');

  beforeAll(async () => {
    data = await makeCa();
    input = join(tmp, 'in.pdf');
    writeFileSync(input, await samplePdf(1));
  });

  it('pdf sign refuses an expired, a not-yet-valid and a non-signing certificate', async () => {
    const cases = [
      [await member(data, 'Hết Hạn', { notBefore: new Date(Date.now() - 400 * DAY), days: 30 }), /expired on/],
      [await member(data, 'Chưa Hiệu Lực', { notBefore: new Date(Date.now() + 5 * DAY) }), /not valid before/],
      [await member(data, 'Chỉ Mã Hóa', { keyUsage: { keyEncipherment: true } }), /not meant for signing/],
    ] as const;
    for (const [i, [cert, reason]] of cases.entries()) {
      const out = join(tmp, `refused-${i}.pdf`);
      const r = await sign(p12(cert, `bad-${i}`), out);
      expect(r.code, r.out).toBe(2);
      expect(r.out).toMatch(reason);
      expect(r.out).toContain('refusing to sign');
    }
    const ok = await sign(p12(await member(data, 'Hợp Lệ'), 'ok'), join(tmp, 'ok.pdf'));
    expect(ok.code, ok.out).toBe(0);
  });

  it('the stamp takes name, title and organization from the certificate unless given', async () => {
    const c = certInfo((await member(data, 'Lò Văn Chủ', { title: 'Chủ tịch HĐND', organization: 'HĐND xã Tà Xùa' })).certDer);
    expect(stampFromCertificate(c)).toEqual({ name: 'Lò Văn Chủ', title: 'Chủ tịch HĐND', organization: 'HĐND xã Tà Xùa', lang: undefined });
    expect(stampFromCertificate(c, { title: 'Chủ tọa', lang: 'en' })).toMatchObject({ name: 'Lò Văn Chủ', title: 'Chủ tọa', organization: 'HĐND xã Tà Xùa', lang: 'en' });
  });

  it('revocation "unknown" (no CRL of the issuer) is its own result: exit 3, 0 only with --allow-unknown-revocation', async () => {
    const signed = join(tmp, 'unknown.pdf');
    expect((await sign(p12(await member(data, 'Nguyễn Văn Ký'), 'signer'), signed)).code).toBe(0);
    expect((await cli(data, 'pdf', 'verify', signed)).code).toBe(0);
    // The same CA without its CRL: nothing says whether the certificate was revoked.
    const noCrl = join(tmp, 'no-crl');
    cpSync(data, noCrl, { recursive: true });
    rmSync(join(noCrl, 'ca', 'crl.der'));
    const r = await cli(noCrl, 'pdf', 'verify', signed);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toContain('VALID, REVOCATION UNKNOWN');
    expect(r.out).not.toContain('Result: all signatures valid and trusted.');
    expect(r.out).toMatch(/\[ \?\? \] revocation: no CRL of the issuer available/);
    const json = JSON.parse((await cli(noCrl, 'pdf', 'verify', signed, '--json')).out) as { valid: boolean; revocationUnknown: boolean; signatures: { trusted: boolean; revocationUnknown: boolean }[] };
    expect(json).toMatchObject({ valid: false, revocationUnknown: true, signatures: [{ trusted: false, revocationUnknown: true }] });
    expect((await cli(noCrl, 'pdf', 'verify', signed, '--allow-unknown-revocation')).code).toBe(0);
  });

  it('certificates name the CRL (CRL Distribution Points) and the CA certificate (AIA) under the public URL', async () => {
    const out = join(tmp, 'dp.p12');
    const certOut = join(tmp, 'dp.pem');
    const r = await cli(data, 'cert', 'issue', '--name', 'Trần Thị Công Khai', '--out', out, '--password', 'pw-1234', '--cert-out', certOut, '--public-url', 'https://hop.hdnd.example.vn/');
    expect(r.code, r.out).toBe(0);
    const text = execFileSync('openssl', ['x509', '-in', certOut, '-noout', '-text']).toString();
    expect(text).toMatch(/X509v3 CRL Distribution Points:[\s\S]*URI:https:\/\/hop\.hdnd\.example\.vn\/api\/signatures\/crl/);
    expect(text).toMatch(/Authority Information Access:[\s\S]*CA Issuers - URI:https:\/\/hop\.hdnd\.example\.vn\/api\/signatures\/ca-certificate/);
    const plain = join(tmp, 'plain.pem');
    expect((await cli(data, 'cert', 'issue', '--name', 'Không URL', '--out', join(tmp, 'plain.p12'), '--password', 'pw-1234', '--cert-out', plain)).code).toBe(0);
    expect(execFileSync('openssl', ['x509', '-in', plain, '-noout', '-text']).toString()).not.toContain('CRL Distribution Points');
    expect((await cli(data, 'cert', 'issue', '--name', 'x', '--out', join(tmp, 'x.p12'), '--password', 'pw-1234', '--public-url', 'not a url')).code).toBe(2);
  });

  it('an outside implementer makes a ballot file with the openssl CLI alone; ballot verify requires signing-certificate-v2', async () => {
    const voter = await member(data, 'Đại Biểu Openssl');
    const dir = mkdtempSync(join(tmp, 'ballot-'));
    writeFileSync(join(dir, 'cert.pem'), voter.certPem);
    writeFileSync(join(dir, 'key.pem'), voter.keyPem);
    const payload: BallotPayload = { meetingId: randomUUID(), pollId: randomUUID(), choice: 'yes', ballotId: randomUUID(), castAt: new Date().toISOString(), nonce: 'n-0123456789' };
    // docs/signatures.md: the signed bytes are the RFC 8785 canonical JSON (sorted keys, no spaces).
    const canonical = `{"ballotId":"${payload.ballotId}","castAt":"${payload.castAt}","choice":"yes","meetingId":"${payload.meetingId}","nonce":"n-0123456789","pollId":"${payload.pollId}"}`;
    expect(Buffer.from(ballotSigningBytes(payload)).toString('utf8')).toBe(canonical);
    writeFileSync(join(dir, 'payload.json'), canonical);
    const make = (cades: boolean) => {
      const args = ['cms', '-sign', '-binary', '-in', join(dir, 'payload.json'), '-signer', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-md', 'sha256', '-outform', 'DER', '-out', join(dir, 'ballot.p7s')];
      execFileSync('openssl', cades ? [...args, '-cades'] : args);
      const cms = execFileSync('base64', ['-w0', join(dir, 'ballot.p7s')]).toString().trim();
      const file = join(dir, `ballot-${cades}.json`);
      writeFileSync(file, JSON.stringify({ payload, cms }));
      return file;
    };
    const ok = await cli(data, 'ballot', 'verify', make(true));
    expect(ok.out).toContain('VALID: signed by');
    expect(ok.code).toBe(0);
    const noV2 = await cli(data, 'ballot', 'verify', make(false));
    expect(noV2.code).toBe(1);
    expect(noV2.out).toContain('signing-certificate-v2');
  });
});
