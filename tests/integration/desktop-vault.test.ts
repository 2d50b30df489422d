import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../electron/main/services/vault';
import { ProcessSafeStorage } from '../helpers/safe-storage';


const DAY = 24 * 3600 * 1000;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

interface CertOptions {
  cn?: string;
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: Record<string, boolean> | null;
  password?: string;
  withKey?: boolean;
}

/** A PKCS#12 file made with node-forge for the test (no binaries in the repository). */
function makeP12(o: CertOptions = {}): Uint8Array {
  const key = forge.pki.privateKeyFromPem(keys.privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 365 * DAY);
  // Vietnamese names as UTF8String: forge encodes on write; the vault decodes with decodeUtf8 on read.
  const subject = [
    { name: 'commonName', value: o.cn ?? 'Nguyễn Thị Hằng', valueTagClass: forge.asn1.Type.UTF8 },
    { name: 'organizationName', value: 'HĐND xã Tà Xùa', valueTagClass: forge.asn1.Type.UTF8 },
    { name: 'countryName', value: 'VN' },
  ];
  cert.setSubject(subject as forge.pki.CertificateField[]);
  cert.setIssuer([{ name: 'commonName', value: 'Test CA' }]);
  const ext: object[] = [{ name: 'basicConstraints', cA: false }];
  if (o.keyUsage !== null) {
    ext.push({
      name: 'keyUsage',
      critical: true,
      ...(o.keyUsage ?? { digitalSignature: true, nonRepudiation: true }),
    });
  }
  cert.setExtensions(ext);
  cert.sign(key, forge.md.sha256.create());
  const asn = forge.pkcs12.toPkcs12Asn1(
    o.withKey === false ? null : key,
    [cert],
    o.password ?? 'mật-khẩu 123',
    { algorithm: 'aes256' },
  );
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

describe('desktop certificate vault', () => {
  let dir: string;
  let vault: Vault;
  const safe = new ProcessSafeStorage();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecab-vault-'));
    vault = new Vault({ file: join(dir, 'vault.json'), safeStorage: safe });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a wrong password', { password: 'right' }, 'wrong', 'CERT_WRONG_PASSWORD'],
    [
      'an expired certificate',
      { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) },
      undefined,
      'CERT_EXPIRED',
    ],
    [
      'a not-yet-valid certificate',
      { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) },
      undefined,
      'CERT_NOT_YET_VALID',
    ],
    [
      'an encryption-only key usage',
      { keyUsage: { keyEncipherment: true, dataEncipherment: true } },
      undefined,
      'CERT_NO_SIGNING_USAGE',
    ],
    ['no key usage at all', { keyUsage: null }, undefined, 'CERT_NO_SIGNING_USAGE'],
    ['a file without its private key', { withKey: false }, undefined, 'CERT_NO_KEY'],
  ] as const)(
    'refuses %s with a clear error',
    async (_name, opts: CertOptions, password: string | undefined, code) => {
      const err: unknown = await vault
        .import(makeP12(opts), password ?? opts.password ?? 'mật-khẩu 123')
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ code });
      expect((err as Error).message.length).toBeGreaterThan(10);
      expect(await vault.info()).toBeNull();
    },
  );

  it('refuses a file that is not PKCS#12', async () => {
    await expect(vault.import(Buffer.from('%PDF-1.7 not a certificate'), 'x')).rejects.toMatchObject({
      code: 'CERT_INVALID_FILE',
    });
  });

  it('imports a valid file, shows its details with Vietnamese names, and keeps the key wrapped', async () => {
    const p12 = makeP12();
    const info = await vault.import(p12, 'mật-khẩu 123');
    expect(info.subject).toBe('CN=Nguyễn Thị Hằng, O=HĐND xã Tà Xùa, C=VN');
    expect(info.issuer).toBe('CN=Test CA');
    expect(Date.parse(info.notAfter)).toBeGreaterThan(Date.now());
    expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await vault.info()).toEqual(info);

    const stored = readFileSync(join(dir, 'vault.json'), 'utf8');
    expect(stored).not.toContain('PRIVATE KEY');
    const keyBody = keys.privateKey.split('\n').slice(1, 3).join('');
    expect(stored).not.toContain(keyBody);
    // Another device's key store cannot unwrap it.
    await expect(
      new Vault({ file: join(dir, 'vault.json'), safeStorage: new ProcessSafeStorage() }).signBytes(
        Buffer.from('x'),
      ),
    ).rejects.toThrow();
  });

  it('signs bytes and digests with RSA PKCS#1 v1.5 SHA-256 (verifiable with the certificate key)', async () => {
    const pub = createPublicKey(keys.publicKey);
    const data = Buffer.from('{"choice":"yes","meetingId":"m1"}', 'utf8');
    const s1 = await vault.signBytes(data);
    expect(verify('sha256', data, pub, s1)).toBe(true);
    expect(verify('sha256', Buffer.from('{"choice":"no","meetingId":"m1"}'), pub, s1)).toBe(false);
    const s2 = await vault.signDigest(createHash('sha256').update(data).digest());
    expect(verify('sha256', data, pub, s2)).toBe(true);
  });

  it('makes a detached CMS signature over the given bytes that verifies (pkijs) and fails for other bytes', async () => {
    pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));
    const data = Buffer.from('{"ballot":"Tán thành","nonce":"abc"}', 'utf8');
    const { der, certificatePem } = await vault.signCms(data);
    expect(certificatePem).toContain('BEGIN CERTIFICATE');
    const parse = () => {
      const asn = asn1js.fromBER(new Uint8Array(der));
      const ci = new pkijs.ContentInfo({ schema: asn.result });
      return new pkijs.SignedData({ schema: ci.content });
    };
    const sd = parse();
    expect(sd.encapContentInfo.eContent).toBeUndefined();
    expect(await sd.verify({ signer: 0, data: new Uint8Array(data).buffer, checkChain: false })).toBe(true);
    const other = new Uint8Array(Buffer.from('{"ballot":"Không tán thành","nonce":"abc"}', 'utf8')).buffer;
    const tampered = await parse()
      .verify({ signer: 0, data: other, checkChain: false })
      .catch(() => false);
    expect(tampered).toBe(false);
  });

  it('refuses to sign once the certificate has expired, and after removal', async () => {
    const later = new Vault({
      file: join(dir, 'vault.json'),
      safeStorage: safe,
      now: () => new Date(Date.now() + 400 * DAY),
    });
    await expect(later.signBytes(Buffer.from('x'))).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    await vault.remove();
    expect(await vault.info()).toBeNull();
    await expect(vault.signBytes(Buffer.from('x'))).rejects.toMatchObject({ code: 'CERT_NOT_IMPORTED' });
  });
});
