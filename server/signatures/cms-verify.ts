import { createHash, verify as nodeVerify } from 'node:crypto';
import { certInfo, type CertInfo } from './cert-info';
import { DIGEST_BY_OID, OID } from './oids';
import { child, children, decodeOid, expectTag, oid, readTlv, retag, TAG, type Tlv } from './der';

export interface CmsCheck {
  /** The signer's certificate, found by the SignerInfo's issuerAndSerialNumber. */
  readonly signer: CertInfo;
  /** Every certificate carried in the CMS (signer first when present). */
  readonly certificates: readonly CertInfo[];
  readonly digestAlgorithm: 'sha256' | 'sha384' | 'sha512';
  readonly digestOk: boolean;
  readonly signatureOk: boolean;
  /** 'v2' when signing-certificate-v2 matches the signer, 'absent', or 'mismatch'. */
  readonly certBinding: 'v2' | 'v1' | 'absent' | 'mismatch';
  readonly signingTime: Date | undefined;
  readonly subFilterHint: 'cades' | 'pkcs7';
  /** The SignerInfo's signature value (what a signature time-stamp covers). */
  readonly signatureValue: Uint8Array;
  /** Unsigned attributes ([1] IMPLICIT SET), when present. */
  readonly unsignedAttrs: Tlv | undefined;
}

export class CmsError extends Error {}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

/**
 * OIDs are compared as their DER content bytes (latin1 keys) instead of decoding them to dotted text:
 * the ballot verifier reads several per signature (≥ 10,000 ballots/s on one core).
 */
const oidKey = (dotted: string) => Buffer.from(oid(dotted).subarray(2)).toString('latin1');
const rawKey = (content: Uint8Array) => Buffer.from(content.buffer, content.byteOffset, content.length).toString('latin1');
const K = {
  signedData: oidKey(OID.signedData),
  data: oidKey(OID.data),
  contentType: oidKey(OID.contentType),
  messageDigest: oidKey(OID.messageDigest),
  signingTime: oidKey(OID.signingTime),
  signingCertificateV2: oidKey(OID.signingCertificateV2),
  signingCertificate: oidKey(OID.signingCertificate),
  rsaEncryption: oidKey(OID.rsaEncryption),
} as const;
const DIGEST_BY_KEY = new Map(Object.entries(DIGEST_BY_OID).map(([o, alg]) => [oidKey(o), alg]));
const RSA_PREFIX = oidKey('1.2.840.113549.1.1.1').slice(0, -1);
const EC_PREFIX = oidKey('1.2.840.10045.4').slice(0, -1);

function readAttrs(signedAttrs: Tlv): Map<string, Tlv> {
  const out = new Map<string, Tlv>();
  for (const a of children(signedAttrs)) {
    const [type, values] = children(a);
    const first = values ? readTlvOrUndefined(values.content) : undefined;
    if (type && first) {
      out.set(rawKey(type.content), first);
    }
  }
  return out;
}

function readTlvOrUndefined(b: Uint8Array): Tlv | undefined {
  return b.length > 0 ? readTlv(b) : undefined;
}

function checkBinding(v2: Tlv | undefined, v1: Tlv | undefined, signer: CertInfo): CmsCheck['certBinding'] {
  const tryIds = (set: Tlv | undefined, defaultAlg: 'sha256' | 'sha1'): boolean | undefined => {
    if (!set) {
      return undefined;
    }
    const first = child(child(set, 0), 0);
    const parts = children(first);
    let alg: string = defaultAlg;
    let i = 0;
    if (parts[0]?.tag === TAG.SEQUENCE) {
      alg = DIGEST_BY_OID[decodeOid(child(parts[0], 0).content)] ?? 'unknown';
      i = 1;
    }
    const hash = parts[i];
    if (!hash || alg === 'unknown') {
      return false;
    }
    // CertInfo already holds the certificate's SHA-256: no re-hash per ballot in the common case.
    const expected = alg === 'sha256' ? Buffer.from(signer.sha256, 'hex') : createHash(alg).update(signer.der).digest();
    const ok = eq(hash.content, expected);
    const issuerSerial = parts[i + 1];
    if (ok && issuerSerial) {
      const serial = child(issuerSerial, 1);
      return eq(serial.content, signer.serial);
    }
    return ok;
  };
  const r2 = tryIds(v2, 'sha256');
  if (r2 !== undefined) {
    return r2 ? 'v2' : 'mismatch';
  }
  const r1 = tryIds(v1, 'sha1');
  if (r1 !== undefined) {
    return r1 ? 'v1' : 'mismatch';
  }
  return 'absent';
}

function readUtcOrGen(t: Tlv): Date | undefined {
  // YYMMDDhhmmssZ (UTCTime, 1950–2049) or YYYYMMDDhhmmssZ: read the digits directly (hot path).
  const b = t.content;
  const num = (i: number, n: number) => {
    let v = 0;
    for (let k = i; k < i + n; k++) {
      const d = (b[k] ?? 0) - 0x30;
      if (d < 0 || d > 9) {
        return NaN;
      }
      v = v * 10 + d;
    }
    return v;
  };
  const utc = t.tag === TAG.UTC_TIME;
  const o = utc ? 0 : 2;
  const yy = utc ? num(0, 2) : num(0, 4);
  const year = utc ? (yy >= 50 ? 1900 + yy : 2000 + yy) : yy;
  const [mo, d, h, mi, se] = [num(o + 2, 2), num(o + 4, 2), num(o + 6, 2), num(o + 8, 2), num(o + 10, 2)];
  if (b.length < o + 13 || [year, mo, d, h, mi, se].some(Number.isNaN) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) {
    return undefined;
  }
  return new Date(Date.UTC(year, mo - 1, d, h, mi, se));
}

/**
 * Verifies a detached CMS SignedData against the signed content's bytes (or their digest, for large
 * PDFs hashed in pieces). Cryptography is node:crypto; parsing is our DER walker (see der.ts).
 * Throws CmsError for structurally broken input; returns flags for everything a report shows.
 */
export function verifyDetachedCms(cms: Uint8Array, content: { bytes?: Uint8Array; digestOf?: (alg: string) => Uint8Array; contentType?: string }): CmsCheck {
  let root: Tlv;
  try {
    // A plain Uint8Array view: subarrays of a Buffer are Buffers, which cost more to create (hot path).
    root = readTlv(new Uint8Array(cms.buffer, cms.byteOffset, cms.byteLength));
  } catch (e) {
    throw new CmsError(`CMS is not valid DER: ${(e as Error).message}`);
  }
  try {
    const [contentType, wrapped] = children(root);
    if (!contentType || rawKey(contentType.content) !== K.signedData || !wrapped) {
      throw new CmsError('CMS content type is not signedData');
    }
    const sd = readTlv(wrapped.content);
    const parts = children(sd);
    const certsTlv = parts.find((p) => p.tag === 0xa0);
    const signerInfos = parts[parts.length - 1];
    if (!signerInfos || signerInfos.tag !== TAG.SET) {
      throw new CmsError('CMS has no signerInfos');
    }
    // certInfo is cached by the certificate bytes, so a known certificate costs a lookup, not a parse.
    const certificates = certsTlv ? children(certsTlv).filter((c) => c.tag === TAG.SEQUENCE).map((c) => certInfo(c.raw)) : [];
    const si = children(signerInfos);
    if (si.length !== 1 || !si[0]) {
      throw new CmsError(`expected exactly one signer, found ${si.length}`);
    }
    const sip = children(si[0]);
    const [, sidTlv, digestAlgTlv, signedAttrs, sigAlgTlv, sigValue, unsignedAttrs] = sip;
    if (!sidTlv || !digestAlgTlv || !sigAlgTlv) {
      throw new CmsError('incomplete SignerInfo');
    }
    const sid = children(expectTag(sidTlv, TAG.SEQUENCE, 'signer identifier (issuerAndSerialNumber)'));
    const sidIssuer = sid[0]?.raw ?? new Uint8Array();
    const sidSerial = sid[1]?.content ?? new Uint8Array();
    const signer = certificates.find((c) => eq(c.issuerRaw, sidIssuer) && eq(c.serial, sidSerial));
    if (!signer) {
      throw new CmsError('the signer certificate is not included in the CMS');
    }
    const digestAlgorithm = DIGEST_BY_KEY.get(rawKey(readTlv(digestAlgTlv.content).content));
    if (!digestAlgorithm) {
      throw new CmsError('unsupported digest algorithm');
    }
    if (!signedAttrs || signedAttrs.tag !== 0xa0) {
      throw new CmsError('CMS has no signed attributes (CAdES requires them)');
    }
    const attrs = readAttrs(signedAttrs);
    const md = attrs.get(K.messageDigest);
    const ct = attrs.get(K.contentType);
    // Signed content is id-data, except in a time-stamp token (id-ct-TSTInfo, read by tst-verify.ts).
    if (!md || !ct || rawKey(ct.content) !== (content.contentType === undefined ? K.data : oidKey(content.contentType))) {
      throw new CmsError('CMS lacks the contentType or messageDigest attribute');
    }
    const actual = content.bytes ? createHash(digestAlgorithm).update(content.bytes).digest() : content.digestOf?.(digestAlgorithm);
    if (!actual) {
      throw new CmsError('nothing to compare the digest with');
    }
    const sigAlg = rawKey(readTlv(sigAlgTlv.content).content);
    if (!sigValue) {
      throw new CmsError('CMS has no signature value');
    }
    const toVerify = retag(signedAttrs.raw, TAG.SET);
    let signatureOk = false;
    // rsaEncryption, sha*WithRSAEncryption (1.2.840.113549.1.1.*) and ECDSA (1.2.840.10045.*).
    if (sigAlg === K.rsaEncryption || sigAlg.startsWith(RSA_PREFIX) || sigAlg.startsWith(EC_PREFIX)) {
      try {
        signatureOk = nodeVerify(digestAlgorithm, toVerify, signer.publicKey, sigValue.content);
      } catch {
        signatureOk = false;
      }
    }
    const st = attrs.get(K.signingTime);
    return {
      signer,
      certificates: [signer, ...certificates.filter((c) => c !== signer)],
      digestAlgorithm,
      digestOk: eq(md.content, actual),
      signatureOk,
      certBinding: checkBinding(attrs.get(K.signingCertificateV2), attrs.get(K.signingCertificate), signer),
      signingTime: st ? readUtcOrGen(st) : undefined,
      subFilterHint: attrs.has(K.signingCertificateV2) ? 'cades' : 'pkcs7',
      signatureValue: sigValue.content,
      unsignedAttrs: unsignedAttrs?.tag === 0xa1 ? unsignedAttrs : undefined,
    };
  } catch (e) {
    if (e instanceof CmsError) {
      throw e;
    }
    throw new CmsError(`malformed CMS: ${(e as Error).message}`);
  }
}
