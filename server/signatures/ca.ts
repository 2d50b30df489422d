import forge from 'node-forge';
import { buildCertificate, reusableName, subjectKeyIdHex, utf8Name } from './issue';
import { generateRsaKey, derToForgeCert, nodeRsaSigner } from './keys';
import { certInfo, derToPem, pemToDer } from './cert-info';
import { buildCrl } from './crl';
import { OID } from './oids';
import { loadCa, loadRegistry, registerIssued, saveCa, saveCrl, saveRegistry, type IssuedRecord, type LoadedCa } from './ca-store';

const DAY = 86_400_000;

export interface CaInitOptions {
  readonly name: string;
  readonly organization: string;
  readonly country?: string;
  readonly years?: number;
  /** RSA modulus size; 3072 by default (tests use 2048 for speed). */
  readonly keyBits?: number;
  /** Use this PKCS#8 PEM key instead of generating one. */
  readonly keyPem?: string | undefined;
}

/** Creates a self-signed organization root (demo and small councils without a national CA). */
export async function initCa(dataDir: string, o: CaInitOptions): Promise<LoadedCa> {
  const { publicKey, privateKeyPem } = generateRsaKey(o.keyBits ?? 3072, o.keyPem);
  const name = utf8Name({ cn: o.name, o: o.organization, c: o.country ?? 'VN' });
  const now = Date.now();
  const { cert } = buildCertificate({
    subject: name,
    issuer: name,
    publicKey,
    signingKey: nodeRsaSigner(privateKeyPem),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + (o.years ?? 10) * 365 * DAY),
    ca: true,
    pathLen: 1,
  });
  await saveCa(dataDir, forge.pki.certificateToPem(cert), privateKeyPem, '');
  // A CA publishes a CRL from the start: without one, verifiers can only say "revocation unknown".
  await publishCrl(dataDir);
  return loadCa(dataDir);
}

/**
 * Imports an existing CA or sub-CA (issued by e.g. the government CA): its certificate, its private
 * key, and optionally the chain above it, which goes into every issued PKCS#12.
 */
export async function importCa(dataDir: string, certPem: string, keyPem: string, chainPem = ''): Promise<LoadedCa> {
  const cert = forge.pki.certificateFromPem(certPem);
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const pub = cert.publicKey as forge.pki.rsa.PublicKey;
  if (pub.n.compareTo(key.n) !== 0) {
    throw new Error('The private key does not belong to the CA certificate');
  }
  const [der] = pemToDer(certPem);
  if (!der || !certInfo(der).isCa) {
    throw new Error('The certificate is not a CA certificate (basicConstraints cA is not set)');
  }
  // Normalise the key to PKCS#8 PEM: WebCrypto (CRL signing) imports only PKCS#8.
  const pkcs8 = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  await saveCa(dataDir, forge.pki.certificateToPem(cert), pkcs8, chainPem);
  await publishCrl(dataDir);
  return loadCa(dataDir);
}

export interface IssueOptions {
  readonly commonName: string;
  readonly title?: string | undefined;
  readonly organization?: string | undefined;
  readonly username?: string | undefined;
  readonly email?: string | undefined;
  readonly days?: number | undefined;
  readonly notBefore?: Date | undefined;
  /** Tests only: a certificate without nonRepudiation/digitalSignature. */
  readonly keyUsage?: Readonly<Record<string, boolean>> | undefined;
  /** Certify this existing PKCS#8 PEM key (e.g. generated in the desktop vault) instead of a new one. */
  readonly keyPem?: string | undefined;
  /**
   * Public base URL of the session server (config `publicUrl`): the certificate then names the CRL
   * (`/api/signatures/crl`) and the CA certificate (`/api/signatures/ca-certificate`) there, so that
   * pdfsig, Adobe Reader and openssl find the revocation status themselves.
   */
  readonly publicUrl?: string | undefined;
}

/** CRL Distribution Point and AIA caIssuers URLs under the server's public base URL. */
export function publicationUrls(publicUrl: string | undefined): { crlUrl?: string; caIssuersUrl?: string } {
  if (!publicUrl) {
    return {};
  }
  const base = publicUrl.replace(/\/+$/, '');
  return { crlUrl: `${base}/api/signatures/crl`, caIssuersUrl: `${base}/api/signatures/ca-certificate` };
}

export interface IssuedCert {
  readonly certPem: string;
  readonly certDer: Uint8Array;
  readonly keyPem: string;
  readonly serialHex: string;
  readonly chainDer: readonly Uint8Array[];
}

/**
 * Issues a member's signing certificate: keyUsage digitalSignature + nonRepudiation (a signature that
 * commits the signer), extKeyUsage emailProtection + Microsoft/Adobe document signing, which Adobe
 * Reader and NSS accept for PDF signatures.
 */
export async function issueMemberCert(dataDir: string, o: IssueOptions): Promise<IssuedCert> {
  const ca = await loadCa(dataDir);
  const { publicKey, privateKeyPem } = generateRsaKey(2048, o.keyPem);
  const notBefore = o.notBefore ?? new Date(Date.now() - 60_000);
  const org = o.organization ?? caOrganization(ca);
  const { cert, der } = buildCertificate({
    subject: utf8Name({ cn: o.commonName, o: org, title: o.title, c: 'VN' }),
    issuer: reusableName(ca.cert.subject.attributes),
    publicKey,
    signingKey: nodeRsaSigner(ca.keyPem),
    notBefore,
    notAfter: new Date(notBefore.getTime() + (o.days ?? 730) * DAY),
    ca: false,
    authorityKeyIdHex: subjectKeyIdHex(ca.cert),
    extKeyUsage: [OID.ekuEmailProtection, OID.ekuDocumentSigning],
    keyUsage: o.keyUsage,
    email: o.email,
    ...publicationUrls(o.publicUrl),
  });
  const info = certInfo(der);
  if (Buffer.compare(Buffer.from(info.issuerRaw), Buffer.from(certInfo(ca.certDer).subjectRaw)) !== 0) {
    throw new Error('issued certificate issuer does not match the CA subject byte for byte');
  }
  const certPem = forge.pki.certificateToPem(cert);
  await registerIssued(ca.dir, {
    serialHex: info.serialHex,
    subjectCn: o.commonName,
    username: o.username ?? null,
    title: o.title ?? null,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    certPem,
  });
  return { certPem, certDer: der, keyPem: privateKeyPem, serialHex: info.serialHex, chainDer: [ca.certDer, ...ca.chainDer] };
}

function caOrganization(ca: LoadedCa): string | undefined {
  const o = ca.cert.subject.getField('O') as { value?: string } | null;
  return o?.value ? forge.util.decodeUtf8(o.value) : undefined;
}

/** PKCS#12 for delivery to the desktop vault: key + certificate + chain, AES-256 (PBES2). */
export function exportPkcs12(keyPem: string, certDer: Uint8Array, chainDer: readonly Uint8Array[], password: string, friendlyName?: string): Uint8Array {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const certs = [certDer, ...chainDer].map(derToForgeCert);
  const asn = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: 'aes256', friendlyName: friendlyName ?? 'signing key' });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

export async function revokeCert(dataDir: string, serialHex: string, reason = 'unspecified'): Promise<IssuedRecord> {
  const ca = await loadCa(dataDir);
  const reg = await loadRegistry(ca.dir);
  const rec = reg.issued.find((r) => r.serialHex === serialHex.toLowerCase());
  if (!rec) {
    throw new Error(`No certificate with serial ${serialHex} was issued by this CA`);
  }
  if (!rec.revokedAt) {
    rec.revokedAt = new Date().toISOString();
    rec.revocationReason = reason;
    await saveRegistry(ca.dir, reg);
  }
  return rec;
}

/** Signs and stores a fresh CRL (`<data>/ca/crl.der` and `.pem`); returns its path. */
export async function publishCrl(dataDir: string, validDays = 7): Promise<{ path: string; der: Uint8Array; revoked: number }> {
  const ca = await loadCa(dataDir);
  const reg = await loadRegistry(ca.dir);
  reg.crlNumber += 1;
  const revoked = reg.issued.filter((r) => r.revokedAt);
  const now = new Date();
  const der = await buildCrl({
    issuerRaw: certInfo(ca.certDer).subjectRaw,
    issuerKeyPkcs8Pem: ca.keyPem,
    authorityKeyIdHex: subjectKeyIdHex(ca.cert),
    crlNumber: reg.crlNumber,
    entries: revoked.map((r) => ({ serialHex: r.serialHex, revokedAt: new Date(r.revokedAt ?? now) })),
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + validDays * DAY),
  });
  await saveRegistry(ca.dir, reg);
  return { path: await saveCrl(ca.dir, der), der, revoked: revoked.length };
}

export { derToPem };
