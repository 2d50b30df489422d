import { createHash } from 'node:crypto';
import { checkChain } from './chain';
import { CmsError, verifyDetachedCms, type CmsCheck } from './cms-verify';
import { children, decodeOid, readTlv, TAG, type Tlv } from './der';
import { DIGEST_BY_OID, OID } from './oids';
import type { TrustStore } from './trust-store';

export interface TimestampVerdict {
  readonly status: 'ok' | 'failed' | 'unknown';
  readonly detail: string;
  /** genTime of a token that verified. */
  readonly time?: Date | undefined;
}

function generalizedTime(t: Tlv): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(Buffer.from(t.content).toString('latin1'));
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The signature time-stamp token (a ContentInfo) among the SignerInfo's unsigned attributes. */
function findToken(unsigned: Tlv | undefined): Tlv | undefined {
  for (const attr of unsigned ? children(unsigned) : []) {
    const [type, values] = children(attr);
    if (type && values && decodeOid(type.content) === OID.signatureTimeStampToken) {
      return children(values)[0];
    }
  }
  return undefined;
}

/** The DER time-stamp token of a signature (PAdES B-T), if it has one. */
export function signatureTimestampToken(signature: CmsCheck): Uint8Array | undefined {
  return findToken(signature.unsignedAttrs)?.raw;
}

/** eContent (the DER TSTInfo) of a token: ContentInfo → SignedData → encapContentInfo → [0] OCTET STRING. */
function tstInfoOf(token: Tlv): Uint8Array {
  const signedData = readTlv(children(token)[1]?.content ?? new Uint8Array());
  const encap = children(signedData).find((c, i) => i > 0 && c.tag === TAG.SEQUENCE);
  const [type, wrapped] = encap ? children(encap) : [];
  if (!type || decodeOid(type.content) !== OID.tstInfo || !wrapped) {
    throw new CmsError('the time-stamp token does not encapsulate a TSTInfo');
  }
  return readTlv(wrapped.content).content;
}

/**
 * Verifies a PAdES B-T signature time-stamp (RFC 3161 token in the unsigned attribute
 * id-aa-signatureTimeStampToken): the token's CMS is intact, its message imprint is the hash of this
 * signature's value, and the TSA certificate has extended key usage timeStamping and chains to the trust
 * store at genTime without being revoked. `unknown` when the signature carries no time-stamp.
 */
export function verifySignatureTimestamp(signature: CmsCheck, trust: TrustStore): TimestampVerdict {
  let token: Tlv | undefined;
  try {
    token = findToken(signature.unsignedAttrs);
  } catch {
    return { status: 'failed', detail: 'the unsigned attributes are malformed' };
  }
  if (!token) {
    return { status: 'unknown', detail: 'no signature time-stamp (PAdES B-B): the signing time is the one the signer claims' };
  }
  try {
    const tstInfo = tstInfoOf(token);
    const check = verifyDetachedCms(token.raw, { bytes: tstInfo, contentType: OID.tstInfo });
    if (!check.digestOk || !check.signatureOk || check.certBinding === 'mismatch') {
      return { status: 'failed', detail: 'the time-stamp token does not verify (altered or forged)' };
    }
    const fields = children(readTlv(tstInfo));
    const [, , imprint, , genTimeTlv] = fields;
    const [algId, hashed] = imprint ? children(imprint) : [];
    const alg = algId ? DIGEST_BY_OID[decodeOid(children(algId)[0]?.content ?? new Uint8Array())] : undefined;
    const genTime = genTimeTlv?.tag === TAG.GENERALIZED_TIME ? generalizedTime(genTimeTlv) : undefined;
    if (!alg || !hashed || !genTime) {
      return { status: 'failed', detail: 'the time-stamp token has an unreadable TSTInfo' };
    }
    const expected = createHash(alg).update(signature.signatureValue).digest();
    if (Buffer.compare(Buffer.from(hashed.content), expected) !== 0) {
      return { status: 'failed', detail: 'the time-stamp is for another signature value (message imprint mismatch)' };
    }
    const tsa = check.signer;
    if (!tsa.extKeyUsage?.includes(OID.ekuTimeStamping)) {
      return { status: 'failed', detail: `certificate "${tsa.subjectCn}" is not a time-stamping certificate (no extended key usage timeStamping)` };
    }
    const chain = checkChain(tsa, check.certificates.slice(1), trust, genTime);
    // checkChain judges document-signing usage; a TSA certificate is judged by timeStamping above.
    const problems = chain.problems.filter((p) => !p.includes('extended key usage'));
    if (problems.length > 0 || chain.revocation === 'revoked') {
      return { status: 'failed', detail: `time-stamp authority "${tsa.subjectCn}" is not trusted: ${problems.join('; ')}` };
    }
    return { status: 'ok', detail: `time-stamped ${genTime.toISOString()} by "${tsa.subjectCn}" (RFC 3161)`, time: genTime };
  } catch (e) {
    return { status: 'failed', detail: e instanceof CmsError ? `time-stamp token: ${e.message}` : 'the time-stamp token is malformed' };
  }
}
