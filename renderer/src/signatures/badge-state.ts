import type { SignatureReport, VerifyReport } from '../../../shared/signatures/report';

/**
 * What the signature badge says,
 * derived from the server's report. Pure, so the rules are unit-tested: the most serious finding of
 * any signature decides the document's badge.
 */
export type SignatureState = 'valid' | 'modified' | 'invalid' | 'revoked' | 'expired' | 'untrusted' | 'revocationUnknown' | 'unknown';
export type DocumentSignatureState = SignatureState | 'unsigned';

/** Shown next to the words (never alone: colour and icon only repeat what the text says). */
export const STATE_ICON: Record<DocumentSignatureState, string> = {
  valid: '✓',
  modified: '⚠',
  invalid: '✕',
  revoked: '✕',
  expired: '⏱',
  untrusted: '⚠',
  revocationUnknown: '?',
  unknown: '?',
  unsigned: '',
};

/** Most serious first. */
const SEVERITY: readonly SignatureState[] = ['modified', 'invalid', 'revoked', 'expired', 'untrusted', 'unknown', 'revocationUnknown', 'valid'];

export function signatureState(s: SignatureReport): SignatureState {
  const status = (name: SignatureReport['checks'][number]['name']) => s.checks.find((c) => c.name === name)?.status;
  // Bytes changed after signing: a digest mismatch, or later revisions changing what was signed.
  if (status('digest') === 'failed' || status('modifications') === 'failed' || s.modifications.length > 0) {
    return 'modified';
  }
  if (status('byteRange') === 'failed' || status('signature') === 'failed' || status('certificateBinding') === 'failed') {
    return 'invalid';
  }
  if (status('revocation') === 'failed') {
    return 'revoked';
  }
  if (status('validity') === 'failed') {
    return 'expired';
  }
  if (status('chain') === 'failed' || status('keyUsage') === 'failed') {
    return 'untrusted';
  }
  if (s.trusted) {
    return 'valid';
  }
  // Everything else passed but no CRL of the issuer was available: not "valid", said apart.
  if (s.revocationUnknown || (s.intact && status('revocation') === 'unknown')) {
    return 'revocationUnknown';
  }
  return s.intact ? 'untrusted' : 'unknown';
}

export function documentState(r: VerifyReport): DocumentSignatureState {
  if (r.signatures.length === 0) {
    return 'unsigned';
  }
  const states = r.signatures.map(signatureState);
  return SEVERITY.find((s) => states.includes(s)) ?? 'unknown';
}

/** "C=VN, O=HĐND xã …, CN=…" → the O= value (the signer's organization). */
export function subjectField(subject: string | null, key: string): string | null {
  if (!subject) {
    return null;
  }
  for (const part of subject.split(/,\s*(?=[A-Za-z.0-9]+=)/)) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === key) {
      return part.slice(i + 1).trim();
    }
  }
  return null;
}

type T = (key: string, vars?: Record<string, unknown>) => string;

/**
 * The server lists "modified after signing" findings in English (they are also the CLI's output);
 * the renderer says the known ones in the UI language and shows anything else as it came.
 */
export function localizeModification(m: string, t: T): string {
  let x: RegExpExecArray | null;
  if ((x = /^page (\d+): content, resources or page attributes changed$/.exec(m))) {
    return t('signatures.mod.pageContent', { page: x[1] });
  }
  if ((x = /^page (\d+): annotation (.+) (removed|changed)$/.exec(m))) {
    return t(x[3] === 'removed' ? 'signatures.mod.annotRemoved' : 'signatures.mod.annotChanged', { page: x[1] });
  }
  if ((x = /^page (\d+): (\S+) annotation added$/.exec(m))) {
    return t('signatures.mod.annotAdded', { page: x[1], kind: x[2] });
  }
  if ((x = /^page count changed from (\d+) to (\d+)$/.exec(m))) {
    return t('signatures.mod.pageCount', { from: x[1], to: x[2] });
  }
  if ((x = /^document catalog entry \/(\S+) changed$/.exec(m))) {
    return t('signatures.mod.catalog', { key: x[1] });
  }
  if ((x = /^form field "?(.+?)"? (added|changed|removed)$/.exec(m))) {
    return t(`signatures.mod.field_${x[2]}`, { name: x[1] });
  }
  return m;
}
