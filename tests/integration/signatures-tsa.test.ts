import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, initCa, issueMemberCert } from '../../server/signatures/ca';
import { verifyDetachedCms } from '../../server/signatures/cms-verify';
import { readTlv } from '../../server/signatures/der';
import { signatureCommands } from '../../server/cli/commands/signatures';
import { tokenFromResponse } from '../../server/signatures/tsa';
import { signatureTimestampToken } from '../../server/signatures/tst-verify';
import { VerifyReport } from '../../shared/signatures/report';
import { samplePdf } from '../unit/signatures-fixtures';
import { startServer, type TestServer } from '../helpers/server';

/** The CMS inside a signed PDF's /Contents (the last signature). */
function lastCms(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const m = [...text.matchAll(/\/Contents <([0-9a-fA-F]+)>/g)].pop();
  return readTlv(Buffer.from(m?.[1] ?? '', 'hex')).raw;
}

describe('organization time-stamp authority (RFC 3161) and PAdES B-T', () => {
  let srv: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'ecab-tsa-'));
  let caPem: string;

  beforeAll(async () => {
    // TSA routes read no database: one storage is enough here.
    srv = await startServer();
    await initCa(srv.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND Demo', keyBits: 2048 });
    caPem = join(srv.dataDir, 'ca', 'ca-cert.pem');
  });
  afterAll(async () => {
    await srv?.close();
  });

  const post = (body: Uint8Array, type = 'application/timestamp-query') =>
    fetch(`${srv.url}/api/tsa`, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(body) });

  it('answers an openssl time-stamp query with a token that `openssl ts -verify` accepts', async () => {
    const data = join(dir, 'data.bin');
    writeFileSync(data, 'Biên bản kỳ họp thứ 12');
    const query = join(dir, 'req.tsq');
    execFileSync('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query]);
    const res = await post(readFileSync(query));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const reply = join(dir, 'resp.tsr');
    writeFileSync(reply, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('openssl', ['ts', '-reply', '-in', reply, '-text']).toString();
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Hash Algorithm: sha256');
    const verify = spawnSync('openssl', ['ts', '-verify', '-data', data, '-in', reply, '-CAfile', caPem], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toContain('Verification: OK');
    expect(verify.status).toBe(0);
    // Other data does not verify against the token.
    writeFileSync(data, 'Biên bản đã bị sửa');
    expect(spawnSync('openssl', ['ts', '-verify', '-data', data, '-in', reply, '-CAfile', caPem]).status).not.toBe(0);
  });

  it('its certificate comes from the organization CA with extended key usage timeStamping, critical', () => {
    const text = execFileSync('openssl', ['x509', '-in', join(srv.dataDir, 'ca', 'tsa-cert.pem'), '-noout', '-text']).toString();
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping\s/);
    expect(spawnSync('openssl', ['verify', '-CAfile', caPem, '-purpose', 'timestampsign', join(srv.dataDir, 'ca', 'tsa-cert.pem')]).status).toBe(0);
  });

  it('refuses a malformed query with a rejection reply and a wrong media type with 415', async () => {
    const bad = await post(Buffer.from('not a time-stamp request'));
    expect(bad.status).toBe(200);
    const badReply = new Uint8Array(await bad.arrayBuffer());
    expect(() => tokenFromResponse(badReply)).toThrow(/refused the request \(status 2\): not a DER TimeStampReq/);
    const sha1 = join(dir, 'sha1.tsq');
    writeFileSync(join(dir, 'd'), 'x');
    execFileSync('openssl', ['ts', '-query', '-data', join(dir, 'd'), '-sha1', '-out', sha1]);
    const weak = await post(readFileSync(sha1));
    const weakReply = new Uint8Array(await weak.arrayBuffer());
    expect(() => tokenFromResponse(weakReply)).toThrow(/unsupported hash algorithm/);
    const json = await post(Buffer.from('{}'), 'application/json');
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('pdf sign --tsa makes a PAdES B-T signature: the verifier checks the time-stamp, openssl accepts the token', async () => {
    const signer = await issueMemberCert(srv.dataDir, { commonName: 'Nguyễn Văn Chủ Tọa', title: 'Chủ tịch HĐND' });
    const p12 = join(dir, 'chair.p12');
    writeFileSync(p12, exportPkcs12(signer.keyPem, signer.certDer, signer.chainDer, 'pw-1234'));
    const input = join(dir, 'in.pdf');
    writeFileSync(input, await samplePdf(1));
    const out = join(dir, 'bt.pdf');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const run = (name: string, args: string[]) => {
      const cmd = signatureCommands.find((c) => c.name === name);
      if (!cmd) {
        throw new Error(name);
      }
      return cmd.run(['--data', srv.dataDir, ...args], io);
    };
    expect(await run('pdf sign', [input, '--out', out, '--p12', p12, '--password', 'pw-1234', '--field', 'ChuToa', '--page', '1', '--rect', '300,60,230,70', '--tsa', `${srv.url}/api/tsa`])).toBe(0);
    lines.length = 0;
    expect(await run('pdf verify', [out, '--json'])).toBe(0);
    const report = VerifyReport.parse(JSON.parse(lines.join('\n')));
    const sig = report.signatures[0];
    expect(sig?.checks.find((c) => c.name === 'timestamp')).toMatchObject({ status: 'ok' });
    expect(sig?.timestampTime).not.toBeNull();
    expect(sig?.checks.find((c) => c.name === 'validity')?.detail).toContain('time-stamped');

    // The token inside the signature, checked by openssl over SHA-256 of the signature value.
    const pdf = readFileSync(out);
    const cms = verifyDetachedCms(lastCms(pdf), { digestOf: () => new Uint8Array(32) });
    const token = signatureTimestampToken(cms);
    expect(token).toBeDefined();
    writeFileSync(join(dir, 'token.der'), token ?? new Uint8Array());
    const digest = createHash('sha256').update(cms.signatureValue).digest('hex');
    const verify = spawnSync('openssl', ['ts', '-verify', '-digest', digest, '-in', join(dir, 'token.der'), '-token_in', '-CAfile', caPem], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toContain('Verification: OK');

    // The certificate is revoked afterwards. The time-stamped signature provably existed before the
    // revocation and stays valid; the same signature without a time-stamp only claims its time and fails.
    const bb = join(dir, 'bb.pdf');
    expect(await run('pdf sign', [input, '--out', bb, '--p12', p12, '--password', 'pw-1234', '--field', 'ChuToa', '--page', '1', '--rect', '300,60,230,70'])).toBe(0);
    // A CRL states revocation times in whole seconds, so a revocation within the time-stamp's own second
    // cannot be proven later than it (the verifier then counts it as revoked). Revoke in a later second.
    const stampedAt = sig?.timestampTime ? Date.parse(sig.timestampTime) : Date.now();
    while (Date.now() < Math.floor(stampedAt / 1000) * 1000 + 1000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await run('cert revoke', ['--serial', signer.serialHex, '--reason', 'keyCompromise'])).toBe(0);
    expect(await run('crl publish', [])).toBe(0);
    lines.length = 0;
    expect(await run('pdf verify', [out, '--json'])).toBe(0);
    const later = VerifyReport.parse(JSON.parse(lines.join('\n'))).signatures[0];
    expect(later?.trusted).toBe(true);
    const revocation = later?.checks.find((c) => c.name === 'revocation');
    expect(revocation?.status).toBe('ok');
    expect(revocation?.detail).toMatch(/revoked on .*after the time-stamped signing time/);
    lines.length = 0;
    expect(await run('pdf verify', [bb, '--json'])).toBe(1);
    const claimed = VerifyReport.parse(JSON.parse(lines.join('\n'))).signatures[0];
    expect(claimed?.trusted).toBe(false);
    expect(claimed?.checks.find((c) => c.name === 'revocation')).toMatchObject({ status: 'failed' });
  });
});
