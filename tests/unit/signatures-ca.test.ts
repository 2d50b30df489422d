import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPkcs12, publishCrl, revokeCert } from '../../server/signatures/ca';
import { certInfo, derToPem } from '../../server/signatures/cert-info';
import { loadTrustStore } from '../../server/signatures/trust-store';
import { checkChain } from '../../server/signatures/chain';
import { makeCa, member } from './signatures-fixtures';

const hasOpenssl = existsSync('/usr/bin/openssl');

describe('organization CA', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeCa();
  });

  it('issues member certificates with UTF-8 Vietnamese names, signing key usage and a linked issuer', async () => {
    const m = await member(dir, 'Nguyễn Thị Hồng Nhung', { title: 'Chủ tịch Hội đồng nhân dân' });
    const info = certInfo(m.certDer);
    expect(info.subjectCn).toBe('Nguyễn Thị Hồng Nhung');
    expect(info.x509.subject).toContain('Chủ tịch Hội đồng nhân dân');
    expect([...(info.keyUsage ?? [])].sort()).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(info.isCa).toBe(false);
    const ca = certInfo(m.chainDer[0] ?? new Uint8Array());
    expect(Buffer.from(info.issuerRaw).equals(Buffer.from(ca.subjectRaw))).toBe(true);
    const trust = await loadTrustStore(dir);
    expect(checkChain(info, [], trust, new Date()).trusted).toBe(true);
    if (hasOpenssl) {
      const pem = join(dir, 'm.pem');
      writeFileSync(pem, derToPem(m.certDer));
      expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca', 'ca-cert.pem'), pem]).toString()).toContain('OK');
      const text = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus']).toString();
      expect(text).toContain('CN=Nguyễn Thị Hồng Nhung');
    }
  });

  it('exports a PKCS#12 that OpenSSL opens with the password', async () => {
    const m = await member(dir, 'Trần Văn Bình');
    const p12 = exportPkcs12(m.keyPem, m.certDer, m.chainDer, 'mật-khẩu-1');
    expect(p12.length).toBeGreaterThan(1000);
    if (hasOpenssl) {
      const path = join(dir, 'm.p12');
      writeFileSync(path, p12);
      const out = execFileSync('openssl', ['pkcs12', '-in', path, '-passin', 'pass:mật-khẩu-1', '-nokeys']).toString();
      expect(out.match(/BEGIN CERTIFICATE/g)?.length).toBe(2);
      expect(() => execFileSync('openssl', ['pkcs12', '-in', path, '-passin', 'pass:wrong', '-nokeys'], { stdio: 'pipe' })).toThrow();
    }
  });

  it('revokes and publishes a CRL that both our checker and OpenSSL honour', async () => {
    const good = await member(dir, 'Lê Văn Còn');
    const bad = await member(dir, 'Phạm Thị Thu Hồi');
    await revokeCert(dir, bad.serialHex, 'keyCompromise');
    const crl = await publishCrl(dir);
    expect(crl.revoked).toBeGreaterThanOrEqual(1);
    const trust = await loadTrustStore(dir);
    const r = checkChain(certInfo(bad.certDer), [], trust, new Date());
    expect(r.trusted).toBe(false);
    expect(r.revocation).toBe('revoked');
    expect(r.problems.join()).toMatch(/revoked/);
    expect(checkChain(certInfo(good.certDer), [], trust, new Date()).revocation).toBe('good');
    if (hasOpenssl) {
      const pem = join(dir, 'bad.pem');
      writeFileSync(pem, derToPem(bad.certDer));
      const args = ['verify', '-crl_check', '-CAfile', join(dir, 'ca', 'ca-cert.pem'), '-CRLfile', join(dir, 'ca', 'crl.pem'), pem];
      expect(() => execFileSync('openssl', args, { stdio: 'pipe' })).toThrow(/revoked/);
    }
  });

  it('flags expired, not-yet-valid, wrong key usage and foreign-CA certificates with a reason', async () => {
    const trust = await loadTrustStore(dir);
    const old = await member(dir, 'Hết Hạn', { notBefore: new Date(Date.now() - 400 * 86_400_000), days: 30 });
    expect(checkChain(certInfo(old.certDer), [], trust, new Date()).problems.join()).toMatch(/expired/);
    const future = await member(dir, 'Chưa Hiệu Lực', { notBefore: new Date(Date.now() + 10 * 86_400_000) });
    expect(checkChain(certInfo(future.certDer), [], trust, new Date()).problems.join()).toMatch(/not yet valid/);
    const enc = await member(dir, 'Sai Mục Đích', { keyUsage: { keyEncipherment: true } });
    expect(checkChain(certInfo(enc.certDer), [], trust, new Date()).problems.join()).toMatch(/key usage/);
    const other = await makeCa('CA Lạ');
    const stranger = await member(other, 'Người Lạ');
    const r = checkChain(certInfo(stranger.certDer), stranger.chainDer.map(certInfo), trust, new Date());
    expect(r.trusted).toBe(false);
    expect(r.problems.join()).toMatch(/no path to a trusted root/);
  });
});
