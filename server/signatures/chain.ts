import { LRUCache } from 'lru-cache';
import type { CertInfo, KeyUsage } from './cert-info';
import { crlSignedBy, type ParsedCrl } from './crl';
import type { TrustStore } from './trust-store';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface ChainResult {
  readonly trusted: boolean;
  /** Signer first, trust anchor last. */
  readonly path: readonly CertInfo[];
  readonly problems: readonly string[];
  readonly revocation: RevocationStatus;
  readonly revokedAt?: Date | undefined;
  /** Revoked, but after the time-stamped signing time: the signature was made while the certificate was good. */
  readonly revokedAfterSigning?: boolean;
}

const SIGNING_USAGES: readonly KeyUsage[] = ['digitalSignature', 'nonRepudiation'];

// Link verdicts are cached: a ballot burst re-checks the same few hundred certificates thousands of
// times, and one RSA-3072 verification of the CA signature costs more than the ballot's own check.
const linkCache = new LRUCache<string, boolean>({ max: 10_000 });

function issuedBy(child: CertInfo, parent: CertInfo): boolean {
  const key = `${child.sha256}|${parent.sha256}`;
  const hit = linkCache.get(key);
  if (hit !== undefined) {
    return hit;
  }
  let ok = false;
  if (child.x509.checkIssued(parent.x509)) {
    try {
      ok = child.x509.verify(parent.publicKey);
    } catch {
      ok = false;
    }
  }
  linkCache.set(key, ok);
  return ok;
}

/** The newest CRL that the issuer signed (an expired CRL still proves a revocation it lists). */
function findCrl(crls: readonly ParsedCrl[], issuer: CertInfo): ParsedCrl | undefined {
  return crls.filter((c) => crlSignedBy(c, issuer)).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
}

/** The part of a chain check that does not depend on the time: path, key usage, revocation. */
interface StaticChain {
  readonly anchored: boolean;
  readonly path: readonly CertInfo[];
  readonly pathProblems: readonly string[];
  readonly tailProblems: readonly string[];
  readonly revocation: RevocationStatus;
  readonly revokedAt: Date | undefined;
}

// Per trust store (a new store object = new CRLs/roots = fresh cache): ballots from the same few hundred
// certificates reuse their path instead of rebuilding it (benchmark); validity at the signing
// time is still checked on every call.
const staticCache = new WeakMap<TrustStore, LRUCache<string, StaticChain>>();

function staticChain(signer: CertInfo, intermediates: readonly CertInfo[], trust: TrustStore): StaticChain {
  const key = intermediates.length === 0 ? signer.sha256 : `${signer.sha256}|${intermediates.map((c) => c.sha256).join('|')}`;
  let perTrust = staticCache.get(trust);
  const hit = perTrust?.get(key);
  if (hit) {
    return hit;
  }
  const pathProblems: string[] = [];
  const path: CertInfo[] = [signer];
  let current = signer;
  let anchored = false;
  for (let depth = 0; depth < 8; depth++) {
    const anchor = trust.roots.find((r) => r.sha256 === current.sha256 || issuedBy(current, r));
    if (anchor) {
      if (anchor.sha256 !== current.sha256) {
        path.push(anchor);
      }
      anchored = true;
      break;
    }
    const next = intermediates.find((c) => c.sha256 !== current.sha256 && issuedBy(current, c));
    if (!next) {
      pathProblems.push(`no path to a trusted root: issuer of "${current.subjectCn}" is not in the trust store`);
      break;
    }
    path.push(next);
    current = next;
  }
  const tailProblems: string[] = [];
  if (signer.keyUsage && !SIGNING_USAGES.some((u) => signer.keyUsage?.has(u))) {
    tailProblems.push(`signer certificate key usage (${[...signer.keyUsage].join(', ') || 'none'}) allows neither digitalSignature nor nonRepudiation`);
  }
  if (signer.extKeyUsage && signer.extKeyUsage.length > 0 && !signer.extKeyUsage.some((e) => ACCEPTED_EKU.has(e))) {
    tailProblems.push(`signer certificate extended key usage (${signer.extKeyUsage.join(', ')}) does not allow document signing`);
  }
  let revocation: RevocationStatus = 'unknown';
  let revokedAt: Date | undefined;
  const issuer = path[1];
  if (issuer) {
    const crl = findCrl(trust.crls, issuer);
    if (crl) {
      revokedAt = crl.revoked.get(signer.serialHex);
      revocation = revokedAt ? 'revoked' : 'good';
      if (revokedAt) {
        tailProblems.push(`signer certificate was revoked on ${revokedAt.toISOString()}`);
      }
    }
  }
  const result: StaticChain = { anchored, path, pathProblems, tailProblems, revocation, revokedAt };
  if (!perTrust) {
    perTrust = new LRUCache({ max: 10_000 });
    staticCache.set(trust, perTrust);
  }
  perTrust.set(key, result);
  return result;
}

/**
 * Builds and checks the path signer → … → trust anchor at time `at` (the signing time): each link's
 * signature, validity at `at`, CA flags of issuers, the signer's key usage, and revocation by any
 * CRL signed by the signer's issuer. Without proof of time (PAdES B-B) a certificate revoked after `at`
 * still counts as revoked: `at` is only the signer's claim. With `provenAt`, the time of a verified
 * RFC 3161 time-stamp over the signature (PAdES B-T), a revocation dated after it does not undo a
 * signature that provably existed before it.
 */
export function checkChain(signer: CertInfo, intermediates: readonly CertInfo[], trust: TrustStore, at: Date, provenAt?: Date): ChainResult {
  const found = staticChain(signer, intermediates, trust);
  const revokedLater = found.revocation === 'revoked' && provenAt !== undefined && found.revokedAt !== undefined && found.revokedAt > provenAt;
  const s = revokedLater ? { ...found, revocation: 'good' as const, tailProblems: found.tailProblems.filter((p) => !p.startsWith('signer certificate was revoked')) } : found;
  const problems: string[] = [...s.pathProblems];
  for (const [i, c] of s.path.entries()) {
    if (at < c.notBefore) {
      problems.push(`certificate "${c.subjectCn}" was not yet valid at signing time (valid from ${c.notBefore.toISOString()})`);
    }
    if (at > c.notAfter) {
      problems.push(`certificate "${c.subjectCn}" had expired at signing time (valid until ${c.notAfter.toISOString()})`);
    }
    if (i > 0 && !c.isCa) {
      problems.push(`issuer "${c.subjectCn}" is not a CA certificate`);
    }
  }
  problems.push(...s.tailProblems);
  return { trusted: s.anchored && problems.length === 0, path: s.path, problems, revocation: s.revocation, revokedAt: s.revokedAt, revokedAfterSigning: revokedLater };
}

const ACCEPTED_EKU = new Set([
  '1.3.6.1.5.5.7.3.4', // emailProtection
  '1.3.6.1.4.1.311.10.3.12', // Microsoft document signing
  '1.2.840.113583.1.1.5', // Adobe authentic documents trust
  '2.5.29.37.0', // anyExtendedKeyUsage
  '1.3.6.1.5.5.7.3.36', // id-kp-documentSigning (RFC 9336)
]);
