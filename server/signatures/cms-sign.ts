import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { certInfo } from './cert-info';
import { OID } from './oids';
import { ctx, derNull, integer, octets, oid, seq, setOf, tlv, TAG, concat, retag } from './der';

/**
 * Where the private key lives: the signer receives the DER signed attributes and returns an RSA
 * PKCS#1 v1.5 SHA-256 signature over them. The desktop vault implements this over IPC, so the key
 * never leaves it; the CLI implements it with a PKCS#12 key.
 */
export interface CmsSigner {
  /** Signer certificate first, then its chain (nearest issuer first), DER. */
  readonly certificates: readonly Uint8Array[];
  sign(signedAttributes: Uint8Array): Promise<Uint8Array>;
}

export function pemKeySigner(keyPem: string, certificates: readonly Uint8Array[]): CmsSigner {
  const key = createPrivateKey(keyPem);
  return {
    certificates,
    sign: async (data) => nodeSign('sha256', data, key),
  };
}

/**
 * For keys that can only sign a precomputed digest (smart cards, a vault API that takes "the hash to
 * sign"): the callback receives SHA-256(signed attributes) and returns the RSA PKCS#1 v1.5 signature
 * of that digest (i.e. over DigestInfo(sha256, digest)).
 */
export function digestCallbackSigner(certificates: readonly Uint8Array[], signDigest: (sha256: Uint8Array) => Promise<Uint8Array>): CmsSigner {
  return {
    certificates,
    sign: async (data) => signDigest(createHash('sha256').update(data).digest()),
  };
}

const attribute = (type: string, value: Uint8Array) => cmsAttribute(type, value);

/** ESS signing-certificate-v2 (RFC 5035): binds the signer certificate (hash + issuer/serial) to the signature. */
function signingCertificateV2(certDer: Uint8Array): Uint8Array {
  const info = certInfo(certDer);
  const hash = createHash('sha256').update(certDer).digest();
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }; directoryName is [4] EXPLICIT Name.
  const issuerSerial = seq(seq(ctx(4, info.issuerRaw)), tlv(TAG.INTEGER, info.serial));
  // hashAlgorithm is omitted: sha256 is the DEFAULT and DER omits defaults.
  const essCertIdV2 = seq(octets(hash), issuerSerial);
  return seq(seq(essCertIdV2));
}

export interface CmsOptions {
  /** Adds the CMS signing-time attribute (ballots); PAdES forbids it (the time goes in /M). */
  readonly signingTime?: Date | undefined;
  /** contentType attribute; id-data unless the content is something else (a TSTInfo). */
  readonly contentType?: string | undefined;
}

export interface AssembleOptions {
  /** Encapsulated content (a time-stamp token's TSTInfo) instead of a detached signature. */
  readonly encapsulated?: { readonly type: string; readonly content: Uint8Array } | undefined;
  /** Unsigned attributes of the SignerInfo, each a DER Attribute (the PAdES B-T signature time-stamp). */
  readonly unsignedAttributes?: readonly Uint8Array[] | undefined;
  /** Leave the certificates out (`certificates[0]` still names the signer in the SignerInfo). */
  readonly omitCertificates?: boolean | undefined;
}

/** One DER Attribute { type, SET { value } } (RFC 5652 5.3). */
export function cmsAttribute(type: string, value: Uint8Array): Uint8Array {
  return seq(oid(type), setOf([value]));
}

function utcTime(d: Date): Uint8Array {
  const iso = d.toISOString();
  const s = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(TAG.UTC_TIME, Buffer.from(s, 'latin1'));
}

/**
 * The DER signed attributes (a SET, as signed) of a CAdES-B signature over content with SHA-256
 * `digest`: contentType, messageDigest and signing-certificate-v2 (ETSI EN 319 122-1), plus
 * signing-time when asked. This is what the key holder signs; see `assembleCms`.
 */
export function cadesSignedAttributes(digest: Uint8Array, certDer: Uint8Array, opts: CmsOptions = {}): Uint8Array {
  const attrs = [
    attribute(OID.contentType, oid(opts.contentType ?? OID.data)),
    attribute(OID.messageDigest, octets(digest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(certDer)),
  ];
  if (opts.signingTime) {
    attrs.push(attribute(OID.signingTime, utcTime(opts.signingTime)));
  }
  return setOf(attrs);
}

/** Wraps signed attributes, their RSA signature and the certificates into a detached SignedData. */
export function assembleCms(signedAttrsSet: Uint8Array, signature: Uint8Array, certificates: readonly Uint8Array[], o: AssembleOptions = {}): Uint8Array {
  const [certDer] = certificates;
  if (!certDer) {
    throw new Error('signer has no certificate');
  }
  const info = certInfo(certDer);
  const sha256Alg = seq(oid(OID.sha256));
  const unsigned = o.unsignedAttributes && o.unsignedAttributes.length > 0 ? [retag(setOf(o.unsignedAttributes), 0xa1)] : [];
  const signerInfo = seq(
    integer(1),
    seq(info.issuerRaw, tlv(TAG.INTEGER, info.serial)),
    sha256Alg,
    retag(signedAttrsSet, 0xa0),
    seq(oid(OID.rsaEncryption), derNull()),
    octets(signature),
    ...unsigned,
  );
  // RFC 5652 5.1: version 3 when the encapsulated content is not id-data.
  const encap = o.encapsulated ? seq(oid(o.encapsulated.type), ctx(0, octets(o.encapsulated.content))) : seq(oid(OID.data));
  const certs = o.omitCertificates ? [] : [ctx(0, concat([...certificates]))];
  const signedData = seq(integer(o.encapsulated ? 3 : 1), setOf([sha256Alg]), encap, ...certs, setOf([signerInfo]));
  return seq(oid(OID.signedData), ctx(0, signedData));
}

/**
 * Builds a detached CMS SignedData (RFC 5652) over `digest` (SHA-256 of the signed content) with the
 * CAdES-B attributes contentType, messageDigest and signing-certificate-v2 (ETSI EN 319 122-1).
 */
export async function buildDetachedCms(digest: Uint8Array, signer: CmsSigner, opts: CmsOptions = {}): Promise<Uint8Array> {
  const [certDer] = signer.certificates;
  if (!certDer) {
    throw new Error('signer has no certificate');
  }
  const signedAttrsSet = cadesSignedAttributes(digest, certDer, opts);
  return assembleCms(signedAttrsSet, await signer.sign(signedAttrsSet), signer.certificates);
}
