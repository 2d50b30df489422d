import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateInfo } from '../../../shared/ipc';
import { IpcError } from '../ipc/ipc-error';

export interface ParsedP12 {
  readonly keyPem: string;
  readonly certificate: forge.pki.Certificate;
  readonly certificatePem: string;
  /** Other certificates in the file (intermediate CAs), PEM. */
  readonly chainPem: string[];
}

function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary');
}

/**
 * Opens a PKCS#12 (.p12/.pfx) file with node-forge (≥ 1.4: earlier versions had signature-forgery
 * and PKCS#12 parsing CVEs). Picks the certificate that belongs to the private key.
 */
export function parseP12(file: Uint8Array, password: string): ParsedP12 {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(binary(file), true);
  } catch {
    throw new IpcError('CERT_INVALID_FILE', 'This is not a PKCS#12 (.p12/.pfx) certificate file');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch {
    // forge reports a failed MAC ("Invalid password?") or garbage after decrypting with a wrong key.
    throw new IpcError('CERT_WRONG_PASSWORD', 'The password is wrong (or the certificate file is damaged)');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag ?? '' })[
      forge.pki.oids.pkcs8ShroudedKeyBag ?? ''
    ] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag ?? '' })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) {
    throw new IpcError(
      'CERT_NO_KEY',
      'The file holds no private key (only certificates); export it again with the private key',
    );
  }
  const certs = (
    p12.getBags({ bagType: forge.pki.oids.certBag ?? '' })[forge.pki.oids.certBag ?? ''] ?? []
  ).flatMap((b) => (b.cert ? [b.cert] : []));
  const modulus = key.n.toString(16);
  const certificate = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.toString(16) === modulus);
  if (!certificate) {
    throw new IpcError('CERT_NO_KEY', 'The file holds no certificate for its private key');
  }
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certificate,
    certificatePem: forge.pki.certificateToPem(certificate),
    chainPem: certs.filter((c) => c !== certificate).map((c) => forge.pki.certificateToPem(c)),
  };
}

/** Distinguished name as text; UTF8String values are decoded so Vietnamese names read correctly. */
export function formatName(attrs: readonly forge.pki.CertificateField[]): string {
  return attrs
    .map((a) => {
      let value = typeof a.value === 'string' ? a.value : String(a.value);
      if ((a.valueTagClass as unknown) === forge.asn1.Type.UTF8) {
        try {
          value = forge.util.decodeUtf8(value);
        } catch {
          // Not valid UTF-8: show the raw value rather than failing the whole import.
        }
      }
      return `${a.shortName ?? a.name ?? a.type ?? '?'}=${value}`;
    })
    .join(', ');
}

export function certificateDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

export function describeCertificate(cert: forge.pki.Certificate): CertificateInfo {
  const fp = createHash('sha256').update(certificateDer(cert)).digest('hex').toUpperCase();
  return {
    subject: formatName(cert.subject.attributes),
    issuer: formatName(cert.issuer.attributes),
    serialNumber: cert.serialNumber,
    notBefore: cert.validity.notBefore.toISOString(),
    notAfter: cert.validity.notAfter.toISOString(),
    fingerprint: fp.match(/.{2}/g)?.join(':') ?? fp,
  };
}

interface KeyUsageExt {
  digitalSignature?: boolean;
  nonRepudiation?: boolean;
}

/**
 * A certificate may sign only inside its validity period and only with a signing key usage
 * (digitalSignature or nonRepudiation). A certificate without the keyUsage extension is refused too:
 * signing certificates issued for officials always state it, so its absence means a wrong certificate.
 */
export function assertUsableForSigning(cert: forge.pki.Certificate, now: Date): void {
  if (now.getTime() < cert.validity.notBefore.getTime()) {
    throw new IpcError(
      'CERT_NOT_YET_VALID',
      `The certificate is not valid before ${cert.validity.notBefore.toISOString()}`,
    );
  }
  if (now.getTime() > cert.validity.notAfter.getTime()) {
    throw new IpcError('CERT_EXPIRED', `The certificate expired on ${cert.validity.notAfter.toISOString()}`);
  }
  const ku = cert.getExtension('keyUsage') as KeyUsageExt | undefined;
  if (!ku || !(ku.digitalSignature === true || ku.nonRepudiation === true)) {
    throw new IpcError(
      'CERT_NO_SIGNING_USAGE',
      'The certificate is not meant for signing (no digitalSignature / nonRepudiation key usage)',
    );
  }
}
