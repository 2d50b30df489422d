import { createHash, createPrivateKey, randomBytes, sign as nodeSign } from 'node:crypto';
import { assembleCms, cadesSignedAttributes } from './cms-sign';
import { children, decodeOid, DerError, integer, octets, oid, readTlv, seq, tlv, TAG, type Tlv } from './der';
import { DIGEST_BY_OID, OID } from './oids';
import type { TsaIdentity } from './tsa-cert';

/** A parsed RFC 3161 TimeStampReq: what the token will certify. */
export interface TimeStampRequest {
  readonly hashAlgorithm: 'sha256' | 'sha384' | 'sha512';
  /** The MessageImprint SEQUENCE as received (copied into TSTInfo byte for byte). */
  readonly messageImprintRaw: Uint8Array;
  readonly hashedMessage: Uint8Array;
  readonly policy: string | undefined;
  /** Content bytes of the nonce INTEGER, echoed into TSTInfo. */
  readonly nonce: Uint8Array | undefined;
  readonly certReq: boolean;
}

export class TimeStampRequestError extends Error {
  /** PKIFailureInfo bit (RFC 3161 2.4.2): 0 badAlg, 2 badRequest, 5 badDataFormat, 15 unacceptedPolicy. */
  constructor(
    message: string,
    readonly failBit: number,
  ) {
    super(message);
  }
}

const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** Reads a DER TimeStampReq (RFC 3161 2.4.1) with the DER walker; throws TimeStampRequestError. */
export function parseTimeStampRequest(der: Uint8Array): TimeStampRequest {
  let fields: Tlv[];
  try {
    const root = readTlv(der);
    if (root.tag !== TAG.SEQUENCE || root.raw.length !== der.length) {
      throw new DerError('not one DER SEQUENCE');
    }
    fields = children(root);
  } catch (e) {
    throw new TimeStampRequestError(`not a DER TimeStampReq: ${(e as Error).message}`, 5);
  }
  const [version, imprint, ...rest] = fields;
  if (version?.tag !== TAG.INTEGER || version.content.length !== 1 || version.content[0] !== 1 || imprint?.tag !== TAG.SEQUENCE) {
    throw new TimeStampRequestError('TimeStampReq must be version 1 with a messageImprint', 2);
  }
  const [algId, hashed] = children(imprint);
  const algOid = algId && children(algId)[0];
  const alg = algOid?.tag === TAG.OID ? DIGEST_BY_OID[decodeOid(algOid.content)] : undefined;
  if (!alg) {
    throw new TimeStampRequestError('unsupported hash algorithm: use SHA-256, SHA-384 or SHA-512', 0);
  }
  if (hashed?.tag !== TAG.OCTET_STRING || hashed.content.length !== HASH_LENGTH[alg]) {
    throw new TimeStampRequestError(`hashedMessage must be a ${HASH_LENGTH[alg]}-byte ${alg} digest`, 5);
  }
  let policy: string | undefined;
  let nonce: Uint8Array | undefined;
  let certReq = false;
  for (const f of rest) {
    if (f.tag === TAG.OID) {
      policy = decodeOid(f.content);
    } else if (f.tag === TAG.INTEGER) {
      nonce = f.content;
    } else if (f.tag === 0x01) {
      certReq = (f.content[0] ?? 0) !== 0;
    } else if (f.tag === 0xa0) {
      throw new TimeStampRequestError('request extensions are not supported', 2);
    }
  }
  if (policy !== undefined && policy !== OID.tsaPolicy) {
    throw new TimeStampRequestError(`this TSA issues time-stamps only under policy ${OID.tsaPolicy}`, 15);
  }
  return { hashAlgorithm: alg, messageImprintRaw: imprint.raw, hashedMessage: hashed.content, policy, nonce, certReq };
}

/** A DER TimeStampReq for `digest` (SHA-256), with a random nonce and certReq = true. */
export function buildTimeStampRequest(digest: Uint8Array, nonce: Uint8Array = randomBytes(8)): Uint8Array {
  const n = Uint8Array.from(nonce);
  n[0] = (n[0] ?? 0) & 0x7f; // a positive INTEGER
  return seq(integer(1), seq(seq(oid(OID.sha256)), octets(digest)), tlv(TAG.INTEGER, n), Uint8Array.of(0x01, 0x01, 0xff));
}

function generalizedTime(d: Date): Uint8Array {
  // DER GeneralizedTime: YYYYMMDDHHMMSS[.fff]Z with no trailing zeros in the fraction (X.690 11.7).
  const iso = d.toISOString();
  const ms = iso.slice(20, 23).replace(/0+$/, '');
  const s = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${ms ? `.${ms}` : ''}Z`;
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(s, 'latin1'));
}

function positiveSerial(): Uint8Array {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01;
  return tlv(TAG.INTEGER, b);
}

/**
 * Issues a time-stamp token (RFC 3161 2.4.2): a CMS SignedData encapsulating TSTInfo {version 1,
 * policy, messageImprint, serial, genTime (millisecond precision), accuracy 1 s, nonce}, signed by the
 * TSA key with contentType id-ct-TSTInfo, messageDigest and ESS signing-certificate-v2 (which
 * `openssl ts -verify` requires). Returns the token's DER (a ContentInfo).
 */
export function issueTimeStampToken(req: TimeStampRequest, tsa: TsaIdentity, now: Date = new Date()): Uint8Array {
  const accuracy = seq(integer(1));
  const tstInfo = seq(integer(1), oid(OID.tsaPolicy), req.messageImprintRaw, positiveSerial(), generalizedTime(now), accuracy, ...(req.nonce ? [tlv(TAG.INTEGER, req.nonce)] : []));
  const attrs = cadesSignedAttributes(createHash('sha256').update(tstInfo).digest(), tsa.cert.der, { contentType: OID.tstInfo });
  const signature = nodeSign('sha256', attrs, createPrivateKey(tsa.keyPem));
  // RFC 3161 2.4.1: the TSA certificate is included when certReq is true and MUST NOT be otherwise.
  return assembleCms(attrs, signature, tsa.chainDer.slice(0, 1), { encapsulated: { type: OID.tstInfo, content: tstInfo }, omitCertificates: !req.certReq });
}

/** TimeStampResp: granted with the token, or rejection with a failure bit (RFC 3161 2.4.2). */
export function timeStampResponse(token: Uint8Array): Uint8Array {
  return seq(seq(integer(0)), token);
}

export function timeStampRejection(e: TimeStampRequestError): Uint8Array {
  const bytes = Math.floor(e.failBit / 8) + 1;
  const bits = new Uint8Array(bytes + 1);
  bits[0] = 7 - (e.failBit % 8); // unused bits in the last byte
  bits[1 + Math.floor(e.failBit / 8)] = 0x80 >> (e.failBit % 8);
  const text = seq(tlv(TAG.UTF8, Buffer.from(e.message, 'utf8')));
  return seq(seq(integer(2), text, tlv(TAG.BIT_STRING, bits)));
}

/** Reads a TimeStampResp: the token when granted (status 0 or 1), else an Error with the reason. */
export function tokenFromResponse(der: Uint8Array): Uint8Array {
  const [status, token] = children(readTlv(der));
  const statusFields = status ? children(status) : [];
  const code = statusFields[0]?.content[0];
  if ((code === 0 || code === 1) && token) {
    return token.raw;
  }
  const text = statusFields[1] ? children(statusFields[1]).map((t) => Buffer.from(t.content).toString('utf8')).join('; ') : '';
  throw new Error(`The time-stamp authority refused the request (status ${code ?? '?'})${text ? `: ${text}` : ''}`);
}
