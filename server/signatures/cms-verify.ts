import { createHash, verify as nodeVerify } from 'node:crypto';
import { certInfo, type CertInfo } from './cert-info';
import { DIGEST_BY_OID, OID } from './oids';
import { child, children, decodeOid, expectTag, readTlv, retag, TAG, type Tlv } from './der';

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
}

export class CmsError extends Error {}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

function readAttrs(signedAttrs: Tlv): Map<string, Tlv> {
  const out = new Map<string, Tlv>();
  for (const a of children(signedAttrs)) {
    const id = decodeOid(child(a, 0).content);
    out.set(id, child(child(a, 1), 0));
  }
  return out;
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
  const s = Buffer.from(t.content).toString('latin1');
  const full = t.tag === TAG.UTC_TIME ? (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s : s;
  const d = new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Verifies a detached CMS SignedData against the signed content's bytes (or their digest, for large
 * PDFs hashed in pieces). Cryptography is node:crypto; parsing is our DER walker (see der.ts).
 * Throws CmsError for structurally broken input; returns flags for everything a report shows.
 */
export function verifyDetachedCms(cms: Uint8Array, content: { bytes?: Uint8Array; digestOf?: (alg: string) => Uint8Array }): CmsCheck {
  let root: Tlv;
  try {
    root = readTlv(cms);
  } catch (e) {
    throw new CmsError(`CMS is not valid DER: ${(e as Error).message}`);
  }
  try {
    if (decodeOid(child(root, 0).content) !== OID.signedData) {
      throw new CmsError('CMS content type is not signedData');
    }
    const sd = child(child(root, 1), 0);
    const parts = children(sd);
    const certsTlv = parts.find((p) => p.tag === 0xa0);
    const signerInfos = parts[parts.length - 1];
    if (!signerInfos || signerInfos.tag !== TAG.SET) {
      throw new CmsError('CMS has no signerInfos');
    }
    const certificates = certsTlv ? children(certsTlv).filter((c) => c.tag === TAG.SEQUENCE).map((c) => certInfo(c.raw)) : [];
    const si = children(signerInfos);
    if (si.length !== 1 || !si[0]) {
      throw new CmsError(`expected exactly one signer, found ${si.length}`);
    }
    const sip = children(si[0]);
    const [, sidTlv, digestAlgTlv, signedAttrs, sigAlgTlv, sigValue] = sip;
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
    const digestAlgorithm = DIGEST_BY_OID[decodeOid(child(digestAlgTlv, 0).content)];
    if (!digestAlgorithm) {
      throw new CmsError('unsupported digest algorithm');
    }
    if (!signedAttrs || signedAttrs.tag !== 0xa0) {
      throw new CmsError('CMS has no signed attributes (CAdES requires them)');
    }
    const attrs = readAttrs(signedAttrs);
    const md = attrs.get(OID.messageDigest);
    const ct = attrs.get(OID.contentType);
    if (!md || !ct || decodeOid(ct.content) !== OID.data) {
      throw new CmsError('CMS lacks the contentType or messageDigest attribute');
    }
    const actual = content.bytes ? createHash(digestAlgorithm).update(content.bytes).digest() : content.digestOf?.(digestAlgorithm);
    if (!actual) {
      throw new CmsError('nothing to compare the digest with');
    }
    const sigAlgOid = decodeOid(child(sigAlgTlv, 0).content);
    if (!sigValue) {
      throw new CmsError('CMS has no signature value');
    }
    const toVerify = retag(signedAttrs.raw, TAG.SET);
    let signatureOk = false;
    if (sigAlgOid === OID.rsaEncryption || sigAlgOid.startsWith('1.2.840.113549.1.1.') || sigAlgOid.startsWith('1.2.840.10045.')) {
      try {
        signatureOk = nodeVerify(digestAlgorithm, toVerify, signer.publicKey, sigValue.content);
      } catch {
        signatureOk = false;
      }
    }
    const st = attrs.get(OID.signingTime);
    return {
      signer,
      certificates: [signer, ...certificates.filter((c) => c !== signer)],
      digestAlgorithm,
      digestOk: eq(md.content, actual),
      signatureOk,
      certBinding: checkBinding(attrs.get(OID.signingCertificateV2), attrs.get(OID.signingCertificate), signer),
      signingTime: st ? readUtcOrGen(st) : undefined,
      subFilterHint: attrs.has(OID.signingCertificateV2) ? 'cades' : 'pkcs7',
    };
  } catch (e) {
    if (e instanceof CmsError) {
      throw e;
    }
    throw new CmsError(`malformed CMS: ${(e as Error).message}`);
  }
}
