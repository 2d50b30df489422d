import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BallotPayload, ballotSigningBytes } from '../../shared/signatures/ballot';
import { checkChain } from './chain';
import { CmsError, verifyDetachedCms } from './cms-verify';
import type { CertInfo } from './cert-info';
import type { TrustStore } from './trust-store';

export interface BallotExpectation {
  readonly meetingId: string;
  readonly pollId: string;
  /** When given, the signed ballot id and choice must be exactly these (what the client sent unsigned). */
  readonly ballotId?: string | undefined;
  readonly choice?: string | readonly string[] | undefined;
  /**
   * SHA-256 (hex) of the certificates registered for this voter; the signer must be one of them, so a
   * delegate cannot vote with a colleague's (or any other trusted) certificate.
   */
  readonly voterCertSha256?: readonly string[] | undefined;
}

export type BallotVerdict =
  | { readonly ok: true; readonly payload: BallotPayload; readonly signer: CertInfo }
  | { readonly ok: false; readonly reason: string };

export interface BallotVerifyOptions {
  readonly trust: TrustStore;
  readonly now?: Date | undefined;
  /** How old castAt may be (replay window); default 10 minutes. */
  readonly maxAgeMs?: number | undefined;
  /** Allowed clock skew into the future; default 2 minutes. */
  readonly maxSkewMs?: number | undefined;
}

const DATETIME = z.regexes.datetime({ offset: true });
const PAYLOAD_KEYS = new Set(['meetingId', 'pollId', 'choice', 'ballotId', 'castAt', 'nonce']);
const text = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;

/**
 * The BallotPayload schema checked by hand for the common, well-formed case (zod's safeParse costs
 * about as much as the rest of the ballot check apart from RSA); anything this does not accept goes
 * through the zod schema itself, so the schema stays the single definition of what is valid.
 */
function parseBallotPayload(v: unknown): BallotPayload | null {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const c = o.choice;
    if (
      Object.keys(o).every((k) => PAYLOAD_KEYS.has(k)) &&
      text(o.meetingId, 1, 100) &&
      text(o.pollId, 1, 100) &&
      text(o.ballotId, 1, 100) &&
      (o.nonce === undefined || text(o.nonce, 8, 128)) &&
      typeof o.castAt === 'string' &&
      DATETIME.test(o.castAt) &&
      (text(c, 1, 100) || (Array.isArray(c) && c.length <= 100 && c.every((x) => text(x, 1, 100))))
    ) {
      return o as BallotPayload;
    }
  }
  const parsed = BallotPayload.safeParse(v);
  return parsed.success ? parsed.data : null;
}

const sameChoice = (a: string | readonly string[], b: string | readonly string[]) =>
  typeof a === 'string' || typeof b === 'string' ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Verifies a named ballot's detached CMS (node:crypto: ~30 µs per RSA-2048 check, forge is ~30×
 * slower) and everything around it: payload bound to this meeting/poll/ballot, fresh castAt, signer =
 * the voter's registered certificate, chain to the trust store at castAt, key usage, not revoked.
 */
export function verifySignedBallot(payloadInput: unknown, cms: Uint8Array, expect: BallotExpectation, o: BallotVerifyOptions): BallotVerdict {
  const p = parseBallotPayload(payloadInput);
  if (!p) {
    return { ok: false, reason: 'malformed ballot payload' };
  }
  if (p.meetingId !== expect.meetingId || p.pollId !== expect.pollId) {
    return { ok: false, reason: 'signature is for another meeting or poll (replay rejected)' };
  }
  if (expect.ballotId !== undefined && p.ballotId !== expect.ballotId) {
    return { ok: false, reason: 'signature is for another ballot id (replay rejected)' };
  }
  if (expect.choice !== undefined && !sameChoice(p.choice, expect.choice)) {
    return { ok: false, reason: 'signed choice differs from the submitted choice' };
  }
  const now = (o.now ?? new Date()).getTime();
  const castAt = Date.parse(p.castAt);
  if (castAt > now + (o.maxSkewMs ?? 120_000)) {
    return { ok: false, reason: 'castAt lies in the future' };
  }
  if (castAt < now - (o.maxAgeMs ?? 600_000)) {
    return { ok: false, reason: 'signature is too old (stale castAt: replay rejected)' };
  }
  let check;
  try {
    check = verifyDetachedCms(cms, { bytes: ballotSigningBytes(p) });
  } catch (e) {
    return { ok: false, reason: e instanceof CmsError ? e.message : 'unreadable signature' };
  }
  if (!check.digestOk || !check.signatureOk || check.certBinding === 'mismatch') {
    return { ok: false, reason: 'signature does not match the ballot (forged or altered)' };
  }
  // docs/signatures.md "Signed ballots": the signer certificate is bound by signing-certificate-v2;
  // issuerAndSerialNumber alone (or SHA-1 v1) would let a re-issued certificate claim the signature.
  if (check.certBinding !== 'v2') {
    return { ok: false, reason: 'the ballot signature lacks the signing-certificate-v2 attribute (RFC 5035) that ballots require' };
  }
  if (expect.voterCertSha256 && !expect.voterCertSha256.includes(check.signer.sha256)) {
    return { ok: false, reason: "signer certificate is not the voter's registered certificate" };
  }
  const chain = checkChain(check.signer, check.certificates.slice(1), o.trust, new Date(castAt));
  if (!chain.trusted) {
    return { ok: false, reason: chain.problems.join('; ') || 'signer certificate is not trusted' };
  }
  return { ok: true, payload: p, signer: check.signer };
}

export const certSha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
