import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeviceAccess } from '../../electron/main/services/device-store';
import { DocumentCache } from '../../electron/main/services/document-cache';
import { PassphraseKeyStore } from '../../electron/main/services/passphrase-key-store';
import { Vault } from '../../electron/main/services/vault';
import { ProcessSafeStorage } from '../helpers/safe-storage';

/** Electron's safeStorage on Linux without a secret service: "encrypts" with a fixed, public password. */
class BasicTextSafeStorage extends ProcessSafeStorage {
  getSelectedStorageBackend(): string {
    return 'basic_text';
  }
}

/** A small signing PKCS#12 made with node-forge (no binaries in the repository). */
function makeP12(password: string): Uint8Array {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(keys.privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000 * 30);
  cert.setSubject([{ name: 'commonName', value: 'Test Signer' }]);
  cert.setIssuer([{ name: 'commonName', value: 'Test CA' }]);
  cert.setExtensions([{ name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true }]);
  cert.sign(key, forge.md.sha256.create());
  const asn = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

describe('desktop key protection where the OS key store protects nothing', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'ecab-keystore-'));
    dirs.push(d);
    return d;
  };
  const p12 = makeP12('p12-password');
  // Low scrypt cost for the test only (the app uses SCRYPT_DEFAULT).
  const cost = { N: 2 ** 12, r: 8, p: 1 };
  afterAll(() => {
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses to keep documents or a private key with the basic_text backend', async () => {
    const dir = tmp();
    const weak = new BasicTextSafeStorage();
    await expect(DocumentCache.open({ dir: join(dir, 'offline'), safeStorage: weak })).rejects.toMatchObject({ code: 'KEY_PROTECTION_WEAK' });
    const vault = new Vault({ file: join(dir, 'vault.json'), safeStorage: weak });
    await expect(vault.import(p12, 'p12-password')).rejects.toMatchObject({ code: 'KEY_PROTECTION_WEAK' });
    expect(await vault.info()).toBeNull();
  });

  it('keeps them under a passphrase-derived key instead (scrypt), asked again at each start', async () => {
    const dir = tmp();
    const file = join(dir, 'protected', 'passphrase.json');
    const store = await PassphraseKeyStore.open(file, cost);
    const opened: string[] = [];
    const access = await createDeviceAccess({
      passphrase: store,
      open: async () => {
        const cache = await DocumentCache.open({ dir: join(dir, 'protected', 'offline'), safeStorage: store });
        opened.push('device');
        return { cache, notes: cache.notesStore(join(dir, 'notes')), packages: undefined as never };
      },
    });
    expect(access.status()).toEqual({ protection: 'passphrase', state: 'new' });
    expect(() => access.device()).toThrow(expect.objectContaining({ code: 'KEY_STORE_LOCKED' }));
    const vault = new Vault({ file: join(dir, 'protected', 'vault.json'), safeStorage: store });
    await expect(vault.import(p12, 'p12-password')).rejects.toMatchObject({ code: 'KEY_PROTECTION_UNAVAILABLE' });

    await expect(access.unlock('too short')).rejects.toMatchObject({ code: 'PASSPHRASE_TOO_SHORT' });
    const passphrase = 'núi Tà Xùa mây trắng 2026';
    expect(await access.unlock(passphrase)).toEqual({ protection: 'passphrase', state: 'ready' });
    expect(opened).toEqual(['device']);
    await vault.import(p12, 'p12-password');
    const signature = await vault.signDigest(new Uint8Array(32).fill(1));
    expect(signature.length).toBe(256);
    const onDisk = readFileSync(file, 'utf8') + readFileSync(join(dir, 'protected', 'vault.json'), 'utf8');
    expect(onDisk).not.toContain(passphrase);
    expect(onDisk).not.toContain('PRIVATE KEY');

    // Next start: locked; a wrong passphrase opens nothing; the right one signs with the same key.
    const again = await PassphraseKeyStore.open(file, cost);
    expect(again.state()).toBe('locked');
    await expect(again.unlock('núi Tà Xùa mây trắng 2027')).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    expect(() => again.decryptString(Buffer.alloc(40))).toThrow(expect.objectContaining({ code: 'KEY_STORE_LOCKED' }));
    await again.unlock(passphrase);
    const vault2 = new Vault({ file: join(dir, 'protected', 'vault.json'), safeStorage: again });
    expect((await vault2.signDigest(new Uint8Array(32).fill(1))).equals(signature)).toBe(true);
    await expect(DocumentCache.open({ dir: join(dir, 'protected', 'offline'), safeStorage: again })).resolves.toBeDefined();
  });
});
