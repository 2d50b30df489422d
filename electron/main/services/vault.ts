import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import forge from 'node-forge';
import { z } from 'zod';
import type { CertificateInfo } from '../../../shared/ipc';
import { IpcError } from '../ipc/ipc-error';
import { assertProtectingKeyStore, type SafeStorageLike } from './safe-storage';
import { assertUsableForSigning, describeCertificate, parseP12 } from './vault-cert';
// The CMS builder is plain node:crypto + DER code shared with the server, so that desktop and server
// signatures carry exactly the same attributes.
import { buildDetachedCms, digestCallbackSigner } from '../../../server/signatures/cms-sign';
import { listTokenCertificates, signDigestOnToken, TokenError } from '../../../server/signatures/pkcs11-token';
import { pemToDer } from '../../../server/signatures/cert-info';

const VaultFile = z.object({
  version: z.literal(1),
  certificate: z.string(),
  chain: z.array(z.string()),
  /** The private key PEM encrypted by safeStorage (OS key store), base64; '' for a token certificate. */
  wrappedKey: z.string(),
  /** A certificate on a PKCS#11 token (the key stays on the token; signing asks for its PIN). */
  token: z.object({ module: z.string().min(1), tokenSerial: z.string(), id: z.string().regex(/^[0-9a-f]*$/) }).optional(),
});
type VaultFile = z.infer<typeof VaultFile>;

/** DER prefix of DigestInfo { sha256, NULL } (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export interface VaultOptions {
  readonly file: string;
  readonly safeStorage: SafeStorageLike;
  readonly now?: () => Date;
}

/**
 * Certificate vault: imports a PKCS#12 file, keeps the private key only wrapped by
 * safeStorage, and signs in the main process. Nothing here returns the key: the IPC layer can only
 * ask for certificate details and signatures.
 */
export class Vault {
  constructor(private readonly o: VaultOptions) {}

  private now(): Date {
    return (this.o.now ?? (() => new Date()))();
  }

  private async load(): Promise<VaultFile | null> {
    let raw: string;
    try {
      raw = await readFile(this.o.file, 'utf8');
    } catch {
      return null;
    }
    const parsed = VaultFile.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async import(p12: Uint8Array, password: string): Promise<CertificateInfo> {
    const parsed = parseP12(p12, password);
    assertUsableForSigning(parsed.certificate, this.now());
    assertProtectingKeyStore(this.o.safeStorage, 'the private key');
    const data: VaultFile = {
      version: 1,
      certificate: parsed.certificatePem,
      chain: parsed.chainPem,
      wrappedKey: this.o.safeStorage.encryptString(parsed.keyPem).toString('base64'),
    };
    const tmp = `${this.o.file}.tmp`;
    await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
    await rename(tmp, this.o.file);
    return describeCertificate(parsed.certificate);
  }

  async info(): Promise<CertificateInfo | null> {
    const v = await this.load();
    return v ? describeCertificate(forge.pki.certificateFromPem(v.certificate)) : null;
  }

  /** Certificate and chain as PEM (public data) for the server to prepare a PDF signature. */
  async certificate(): Promise<{ certificate: string; chain: string[] }> {
    const v = await this.load();
    if (!v) {
      throw new IpcError('CERT_NOT_IMPORTED', 'No signing certificate has been imported on this device');
    }
    return { certificate: v.certificate, chain: v.chain };
  }

  async remove(): Promise<void> {
    await rm(this.o.file, { force: true });
  }

  /**
   * Uses a certificate on a PKCS#11 token (the module path comes from the settings, e.g. the driver
   * the government CA ships): the vault keeps only the certificate and where its key is; the key never
   * leaves the token and each signature asks for the PIN.
   */
  async useToken(module: string, tokenSerial: string, id: string): Promise<CertificateInfo> {
    let found;
    try {
      found = listTokenCertificates(module).find((c) => c.tokenSerial === tokenSerial && c.id === id);
    } catch (e) {
      throw e instanceof TokenError ? new IpcError(e.code, e.message) : e;
    }
    if (!found) {
      throw new IpcError('TOKEN_NOT_PRESENT', 'That certificate is not on any plugged-in token');
    }
    const cert = forge.pki.certificateFromPem(found.certificatePem);
    assertUsableForSigning(cert, this.now());
    const data: VaultFile = { version: 1, certificate: found.certificatePem, chain: [], wrappedKey: '', token: { module, tokenSerial, id } };
    const tmp = `${this.o.file}.tmp`;
    await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
    await rename(tmp, this.o.file);
    return describeCertificate(cert);
  }

  /** The certificates on the tokens of a PKCS#11 module, for the user to pick one (public data). */
  tokenCertificates(module: string): Array<{ tokenLabel: string; tokenSerial: string; id: string; label: string; certificate: CertificateInfo }> {
    try {
      return listTokenCertificates(module).map((c) => ({
        tokenLabel: c.tokenLabel,
        tokenSerial: c.tokenSerial,
        id: c.id,
        label: c.label,
        certificate: describeCertificate(forge.pki.certificateFromPem(c.certificatePem)),
      }));
    } catch (e) {
      throw e instanceof TokenError ? new IpcError(e.code, e.message) : e;
    }
  }

  /** Whether signing needs a token PIN (a PKCS#11 certificate) or not (an imported PKCS#12). */
  async source(): Promise<'pkcs12' | 'pkcs11' | null> {
    const v = await this.load();
    return v ? (v.token ? 'pkcs11' : 'pkcs12') : null;
  }

  /** Loads the key (or the token reference) for one signing operation after re-checking the certificate. */
  private async signer(pin?: string): Promise<{ signDigest: (digest: Uint8Array) => Buffer; certPem: string; chainPem: readonly string[] }> {
    const v = await this.load();
    if (!v) {
      throw new IpcError('CERT_NOT_IMPORTED', 'No signing certificate has been imported on this device');
    }
    const cert = forge.pki.certificateFromPem(v.certificate);
    assertUsableForSigning(cert, this.now());
    const token = v.token;
    if (token) {
      if (!pin) {
        throw new IpcError('TOKEN_PIN_REQUIRED', 'Enter the PIN of your signing token');
      }
      return {
        signDigest: (digest) => {
          try {
            return signDigestOnToken(token, pin, digest);
          } catch (e) {
            throw e instanceof TokenError ? new IpcError(e.code, e.message) : e;
          }
        },
        certPem: v.certificate,
        chainPem: v.chain,
      };
    }
    // A key wrapped by a store that protects nothing is not used (import it again under a passphrase).
    assertProtectingKeyStore(this.o.safeStorage, 'the private key');
    const key = createPrivateKey(this.o.safeStorage.decryptString(Buffer.from(v.wrappedKey, 'base64')));
    return {
      signDigest: (digest) => privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest])),
      certPem: v.certificate,
      chainPem: v.chain,
    };
  }

  /** RSA PKCS#1 v1.5 with SHA-256 over `data`. `pin`: the token PIN for a PKCS#11 certificate. */
  async signBytes(data: Uint8Array, pin?: string): Promise<Buffer> {
    const s = await this.signer(pin);
    return s.signDigest(createHash('sha256').update(data).digest());
  }

  /** RSA PKCS#1 v1.5 over a SHA-256 digest computed by the caller (PDF byte ranges). */
  async signDigest(digest: Uint8Array, pin?: string): Promise<Buffer> {
    if (digest.byteLength !== 32) {
      throw new IpcError('VALIDATION_ERROR', 'a SHA-256 digest is 32 bytes');
    }
    const s = await this.signer(pin);
    return s.signDigest(digest);
  }

  /**
   * Detached CMS SignedData over `data` (a ballot's canonical JSON), DER, plus the signer PEM: the same
   * CAdES signed attributes as every other signature of the system (contentType, messageDigest,
   * signing-certificate-v2, signing-time; server/signatures/cms-sign.ts), which the server requires.
   */
  async signCms(data: Uint8Array, pin?: string): Promise<{ der: Buffer; certificatePem: string }> {
    const s = await this.signer(pin);
    const certificates = [s.certPem, ...s.chainPem].flatMap(pemToDer);
    const signer = digestCallbackSigner(certificates, async (digest) => s.signDigest(digest));
    const der = await buildDetachedCms(createHash('sha256').update(data).digest(), signer, { signingTime: this.now() });
    return { der: Buffer.from(der), certificatePem: s.certPem };
  }
}
