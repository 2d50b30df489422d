import { createHash } from 'node:crypto';
import { assembleCms, cmsAttribute } from './cms-sign';
import { OID } from './oids';
import { buildTimeStampRequest, issueTimeStampToken, parseTimeStampRequest, tokenFromResponse } from './tsa';
import { tsaIdentity } from './tsa-cert';

/** Returns an RFC 3161 time-stamp token (DER ContentInfo) over a SHA-256 digest. */
export type Timestamper = (sha256: Uint8Array) => Promise<Uint8Array>;

/** The organization TSA of this data directory, in-process (the session server signs with it). */
export function localTimestamper(dataDir: string, publicUrl?: string): Timestamper {
  return async (digest) => issueTimeStampToken(parseTimeStampRequest(buildTimeStampRequest(digest)), await tsaIdentity(dataDir, publicUrl));
}

/** A TSA over HTTP (`POST URL`, application/timestamp-query → application/timestamp-reply). */
export function httpTimestamper(url: string): Timestamper {
  return async (digest) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: Buffer.from(buildTimeStampRequest(digest)),
    });
    const body = new Uint8Array(await res.arrayBuffer());
    if (!res.ok && !(res.headers.get('content-type') ?? '').startsWith('application/timestamp-reply')) {
      throw new Error(`The time-stamp authority at ${url} answered HTTP ${res.status}`);
    }
    return tokenFromResponse(body);
  };
}

/**
 * PAdES B-T: the CMS with a signature time-stamp (RFC 3161 appendix A) as an unsigned attribute of the
 * SignerInfo; the token's message imprint is SHA-256 of the signature value.
 */
export async function timestampedCms(signedAttrs: Uint8Array, signature: Uint8Array, certificates: readonly Uint8Array[], timestamp: Timestamper): Promise<Uint8Array> {
  const token = await timestamp(createHash('sha256').update(signature).digest());
  return assembleCms(signedAttrs, signature, certificates, { unsignedAttributes: [cmsAttribute(OID.signatureTimeStampToken, token)] });
}

/** Extra /Contents room for a signature time-stamp token (TSA certificate, TSTInfo, signature). */
export const TIMESTAMP_RESERVE = 6144;
