import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { forgeCertToDer } from './keys';
import { oid, seq, tlv } from './der';

const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

export type NameAttr = forge.pki.CertificateField;

// The types declare valueTagClass as a Class, but forge reads it as the universal tag Type.
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/** Distinguished name with every text value written as UTF8String (Vietnamese names, docs/architecture.md). */
export function utf8Name(parts: Readonly<{ cn: string; o?: string | undefined; ou?: string | undefined; title?: string | undefined; c?: string | undefined }>): NameAttr[] {
  const out: NameAttr[] = [];
  if (parts.c) {
    // countryName is PrintableString by definition (RFC 5280 appendix A).
    out.push({ shortName: 'C', value: parts.c });
  }
  if (parts.o) {
    out.push({ shortName: 'O', value: parts.o, valueTagClass: UTF8 });
  }
  if (parts.ou) {
    out.push({ shortName: 'OU', value: parts.ou, valueTagClass: UTF8 });
  }
  if (parts.title) {
    out.push({ type: '2.5.4.12', value: parts.title, valueTagClass: UTF8 });
  }
  out.push({ shortName: 'CN', value: parts.cn, valueTagClass: UTF8 });
  return out;
}

/**
 * forge keeps parsed UTF8String values as raw UTF-8 bytes but re-encodes them on write: copying a
 * parsed subject into an issuer would double-encode "Ủy ban", and the chain would no longer link.
 */
export function reusableName(attrs: readonly NameAttr[]): NameAttr[] {
  return attrs.map((a) => {
    const utf8 = (a.valueTagClass as number | undefined) === forge.asn1.Type.UTF8;
    const value = typeof a.value === 'string' && utf8 ? forge.util.decodeUtf8(a.value) : (a.value as string);
    return { type: a.type, value, valueTagClass: a.valueTagClass } as NameAttr;
  });
}

export function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f; // positive INTEGER (RFC 5280 4.1.2.2)
  if (b[0] === 0) {
    b[0] = 1;
  }
  return b.toString('hex');
}

export interface CertTemplate {
  readonly subject: readonly NameAttr[];
  readonly issuer: readonly NameAttr[];
  readonly publicKey: forge.pki.PublicKey;
  readonly signingKey: forge.pki.rsa.PrivateKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
  readonly pathLen?: number | undefined;
  /** Issuer's subjectKeyIdentifier (hex); omitted for self-signed roots. */
  readonly authorityKeyIdHex?: string | undefined;
  /** Extended key usages (OIDs) for end-entity certificates. */
  readonly extKeyUsage?: readonly string[] | undefined;
  /** Override keyUsage (tests build wrong-usage certificates). */
  readonly keyUsage?: Readonly<Record<string, boolean>> | undefined;
  readonly email?: string | undefined;
  readonly serialHex?: string | undefined;
  /** Where relying parties fetch the issuer's CRL (CRL Distribution Points, RFC 5280 4.2.1.13). */
  readonly crlUrl?: string | undefined;
  /** Where they fetch the issuer's certificate (Authority Information Access caIssuers, 4.2.2.1). */
  readonly caIssuersUrl?: string | undefined;
  /** The extKeyUsage extension marked critical (a TSA certificate must have it so, RFC 3161 2.3). */
  readonly extKeyUsageCritical?: boolean | undefined;
}

export function buildCertificate(t: CertTemplate): { cert: forge.pki.Certificate; der: Uint8Array } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = t.publicKey;
  cert.serialNumber = t.serialHex ?? randomSerialHex();
  cert.validity.notBefore = t.notBefore;
  cert.validity.notAfter = t.notAfter;
  cert.setSubject([...t.subject]);
  cert.setIssuer([...t.issuer]);
  const keyUsage = t.keyUsage ?? (t.ca ? { keyCertSign: true, cRLSign: true, digitalSignature: true } : { digitalSignature: true, nonRepudiation: true });
  const exts: unknown[] = [
    { name: 'basicConstraints', cA: t.ca, critical: true, ...(t.ca && t.pathLen !== undefined ? { pathLenConstraint: t.pathLen } : {}) },
    { name: 'keyUsage', critical: true, ...keyUsage },
    { name: 'subjectKeyIdentifier' },
  ];
  if (t.authorityKeyIdHex) {
    exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(t.authorityKeyIdHex) });
  }
  if (!t.ca && t.extKeyUsage && t.extKeyUsage.length > 0) {
    // forge takes known usages by name and unknown ones by dotted OID (a known OID as key breaks it).
    const eku: Record<string, boolean> = {};
    const names = forge.pki.oids as Record<string, string | undefined>;
    for (const id of t.extKeyUsage) {
      eku[names[id] ?? id] = true;
    }
    exts.push({ name: 'extKeyUsage', ...(t.extKeyUsageCritical ? { critical: true } : {}), ...eku });
  }
  if (t.crlUrl) {
    // fullName = uniformResourceIdentifier [6]; pdfsig (NSS), Adobe and openssl fetch the CRL from it.
    exts.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: t.crlUrl }] });
  }
  if (t.caIssuersUrl) {
    // forge has no writer for authorityInfoAccess: the DER value is built here and passed as bytes.
    const aia = seq(seq(oid(OID_CA_ISSUERS), tlv(0x86, Buffer.from(t.caIssuersUrl, 'latin1'))));
    exts.push({ id: OID_AIA, value: Buffer.from(aia).toString('binary') });
  }
  if (t.email) {
    exts.push({ name: 'subjectAltName', altNames: [{ type: 1, value: t.email }] });
  }
  cert.setExtensions(exts);
  cert.sign(t.signingKey, forge.md.sha256.create());
  return { cert, der: forgeCertToDer(cert) };
}

export function subjectKeyIdHex(cert: forge.pki.Certificate): string {
  const ext = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ?? cert.generateSubjectKeyIdentifier().toHex();
}
