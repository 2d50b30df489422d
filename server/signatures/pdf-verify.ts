import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from '@cantoo/pdf-lib';
import type { SignatureCheck, SignatureReport, VerifyReport } from '../../shared/signatures/report';
import { checkChain } from './chain';
import { CmsError, verifyDetachedCms } from './cms-verify';
import { readTlv } from './der';
import { decodeText, listSignatureFields } from './pdf-fields';
import { findModifications } from './pdf-diff';
import { verifySignatureTimestamp } from './tst-verify';
import type { TrustStore } from './trust-store';

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

interface RawSig {
  readonly fieldName: string;
  readonly byteRange: number[] | undefined;
  readonly subFilter: string | null;
  readonly m: Date | undefined;
  readonly name: string | null;
  readonly docMdp: number | null;
}

/** /Reference [ << /TransformMethod /DocMDP /TransformParams << /P n >> >> ] of a signature dictionary. */
function docMdpLevel(sig: PDFDict | undefined): number | null {
  const refs = sig?.lookupMaybe(PDFName.of('Reference'), PDFArray);
  for (let i = 0; refs && i < refs.size(); i++) {
    const ref = refs.lookupMaybe(i, PDFDict);
    if (ref?.lookupMaybe(PDFName.of('TransformMethod'), PDFName)?.decodeText() === 'DocMDP') {
      const p = ref.lookupMaybe(PDFName.of('TransformParams'), PDFDict)?.lookupMaybe(PDFName.of('P'), PDFNumber)?.asNumber() ?? 2;
      return p >= 1 && p <= 3 ? p : null;
    }
  }
  return null;
}

function parsePdfDate(s: string | undefined): Date | undefined {
  const m = s ? /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(s) : null;
  if (!m) {
    return undefined;
  }
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  const off = tz === '+' || tz === '-' ? `${tz}${th}:${tm}` : 'Z';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${off}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function rawSignatures(doc: PDFDocument): RawSig[] {
  return listSignatureFields(doc)
    .filter((f) => f.sig)
    .map((f) => {
      const br = f.sig?.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
      const nums = br?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
      return {
        fieldName: f.name,
        byteRange: nums,
        subFilter: f.sig?.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText() ?? null,
        m: parsePdfDate(decodeText(f.sig?.get(PDFName.of('M')))),
        name: decodeText(f.sig?.get(PDFName.of('Name'))) ?? null,
        docMdp: docMdpLevel(f.sig),
      };
    });
}

/** Checks the byte range against the file: starts at 0, the gap is exactly the hex /Contents, ends at an %%EOF. */
function checkByteRange(pdf: Uint8Array, br: number[] | undefined): { ok: boolean; detail: string; cms?: Uint8Array; end?: number } {
  if (!br || br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0)) {
    return { ok: false, detail: 'ByteRange is missing or not four non-negative integers' };
  }
  const [a, b, c, d] = br as [number, number, number, number];
  const end = c + d;
  if (a !== 0 || b <= 0 || c <= b || end > pdf.length) {
    return { ok: false, detail: `ByteRange [${br.join(' ')}] does not start at 0 or lies outside the file (${pdf.length} bytes)` };
  }
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) {
    return { ok: false, detail: 'the ByteRange gap is not exactly the /Contents hex string' };
  }
  const hex = latin1(pdf.subarray(b + 1, c - 1));
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    return { ok: false, detail: 'the ByteRange gap contains something other than hex digits' };
  }
  const tail = latin1(pdf.subarray(Math.max(0, end - 8), end));
  if (end !== pdf.length && !/%%EOF\s*$/.test(tail)) {
    return { ok: false, detail: 'the signed range does not end at the end of a revision (%%EOF)' };
  }
  const bytes = Buffer.from(hex, 'hex');
  let cms: Uint8Array;
  try {
    cms = readTlv(bytes).raw; // drops the zero padding after the DER value
  } catch {
    return { ok: false, detail: '/Contents does not hold a DER-encoded CMS' };
  }
  const total = end === pdf.length ? 'covers the whole file except the signature value' : `covers revision 0…${end} except the signature value`;
  return { ok: true, detail: total, cms, end };
}

const check = (name: SignatureCheck['name'], status: SignatureCheck['status'], detail: string): SignatureCheck => ({ name, status, detail });

export interface VerifyOptions {
  readonly trust: TrustStore;
}

/**
 * Verifies every signature of `pdf`: byte range, digest, CMS signature,
 * signer-certificate binding, chain to the trust store, validity at signing time, key usage, CRL
 * revocation and — unlike pdfsig — modifications made by later incremental updates.
 */
export async function verifyPdf(pdf: Uint8Array, o: VerifyOptions): Promise<VerifyReport> {
  const final = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  const sigs = rawSignatures(final);
  const reports: SignatureReport[] = [];
  for (const [index, s] of sigs.entries()) {
    reports.push(await verifyOne(pdf, final, s, index, o));
  }
  const valid = reports.length > 0 && reports.every((r) => r.trusted);
  return { signatures: reports, valid, revocationUnknown: !valid && reports.length > 0 && reports.every((r) => r.trusted || r.revocationUnknown) };
}

async function verifyOne(pdf: Uint8Array, final: PDFDocument, s: RawSig, index: number, o: VerifyOptions): Promise<SignatureReport> {
  const checks: SignatureCheck[] = [];
  const base = { index, fieldName: s.fieldName, subFilter: s.subFilter, signerName: s.name, certification: s.docMdp };
  const br = checkByteRange(pdf, s.byteRange);
  checks.push(check('byteRange', br.ok ? 'ok' : 'failed', br.detail));
  const empty = (extra: Partial<SignatureReport> = {}): SignatureReport => ({
    ...base,
    signerSubject: null,
    issuerSubject: null,
    serialNumber: null,
    signingTime: s.m?.toISOString() ?? null,
    coversWholeDocument: false,
    signedLength: null,
    modifications: [],
    checks,
    intact: false,
    trusted: false,
    revocationUnknown: false,
    timestampTime: null,
    ...extra,
  });
  if (!br.ok || !br.cms || br.end === undefined || !s.byteRange) {
    return empty();
  }
  const [, b = 0, c = 0, d = 0] = s.byteRange;
  let cms;
  try {
    cms = verifyDetachedCms(br.cms, {
      digestOf: (alg) =>
        createHash(alg)
          .update(pdf.subarray(0, b))
          .update(pdf.subarray(c, c + d))
          .digest(),
    });
  } catch (e) {
    checks.push(check('signature', 'failed', e instanceof CmsError ? e.message : 'CMS could not be read'));
    return empty();
  }
  checks.push(check('digest', cms.digestOk ? 'ok' : 'failed', cms.digestOk ? `${cms.digestAlgorithm} digest of the signed bytes matches` : 'the signed bytes were changed after signing (digest mismatch)'));
  checks.push(check('signature', cms.signatureOk ? 'ok' : 'failed', cms.signatureOk ? 'CMS signature verifies with the signer certificate key' : 'CMS signature does not verify with the signer certificate key'));
  const binding = cms.certBinding;
  checks.push(
    check(
      'certificateBinding',
      binding === 'mismatch' ? 'failed' : binding === 'absent' ? 'unknown' : 'ok',
      binding === 'v2'
        ? 'signing-certificate-v2 matches the signer certificate'
        : binding === 'v1'
          ? 'signing-certificate (v1, SHA-1) matches the signer certificate'
          : binding === 'absent'
            ? 'bound only through issuerAndSerialNumber (no signing-certificate attribute)'
            : 'signing-certificate attribute does not match the signer certificate',
    ),
  );
  // A verified signature time-stamp (PAdES B-T) fixes the time; otherwise the signer's claim is used.
  const ts = verifySignatureTimestamp(cms, o.trust);
  const at = ts.time ?? cms.signingTime ?? s.m ?? new Date();
  const chain = checkChain(cms.signer, cms.certificates.slice(1), o.trust, at, ts.status === 'ok' ? (ts.time ?? undefined) : undefined);
  const chainProblems = chain.problems.filter((p) => p.startsWith('no path') || p.startsWith('issuer'));
  checks.push(check('chain', chainProblems.length ? 'failed' : 'ok', chainProblems.join('; ') || `chains to trusted root "${chain.path[chain.path.length - 1]?.subjectCn ?? '?'}"`));
  const validity = chain.problems.filter((p) => p.includes('valid'));
  checks.push(
    check('validity', validity.length ? 'failed' : 'ok', validity.join('; ') || `certificates valid at signing time ${at.toISOString()} (${ts.time ? 'time-stamped' : 'time claimed by the signer; no time-stamp'})`),
  );
  const usage = chain.problems.filter((p) => p.includes('key usage'));
  checks.push(check('keyUsage', usage.length ? 'failed' : 'ok', usage.join('; ') || 'key usage allows signing'));
  checks.push(
    check(
      'revocation',
      chain.revocation === 'revoked' ? 'failed' : chain.revocation === 'good' ? 'ok' : 'unknown',
      chain.revocation === 'revoked'
        ? `certificate revoked on ${chain.revokedAt?.toISOString() ?? '?'}`
        : chain.revokedAfterSigning
          ? `certificate revoked on ${chain.revokedAt?.toISOString() ?? '?'}, after the time-stamped signing time ${at.toISOString()}: it was good when the signature was made`
          : chain.revocation === 'good'
            ? 'not listed in the issuer CRL'
            : 'no CRL of the issuer available',
    ),
  );
  checks.push(check('timestamp', ts.status, ts.detail));
  const whole = br.end === pdf.length;
  let modifications: string[] = [];
  if (!whole) {
    try {
      const signedRev = await PDFDocument.load(pdf.subarray(0, br.end), { updateMetadata: false, ignoreEncryption: true });
      modifications = findModifications(signedRev, final);
    } catch {
      modifications = ['the signed revision cannot be parsed to compare with later changes'];
    }
  }
  checks.push(check('modifications', modifications.length ? 'failed' : 'ok', modifications.length ? `changed after signing: ${modifications.join('; ')}` : whole ? 'no later revisions' : 'later revisions only add signatures'));
  const intact = cms.digestOk && cms.signatureOk && binding !== 'mismatch' && modifications.length === 0;
  const issuer = chain.path[1];
  // A CRL of the issuer is needed for "trusted": without one the result is its own verdict.
  const chainOk = intact && chain.trusted && ts.status !== 'failed';
  return {
    ...base,
    signerName: cms.signer.subjectCn,
    signerSubject: cms.signer.x509.subject.replace(/\n/g, ', '),
    issuerSubject: issuer ? issuer.x509.subject.replace(/\n/g, ', ') : cms.signer.x509.issuer.replace(/\n/g, ', '),
    serialNumber: cms.signer.serialHex,
    signingTime: at.toISOString(),
    coversWholeDocument: whole,
    signedLength: br.end,
    modifications,
    checks,
    intact,
    trusted: chainOk && chain.revocation === 'good',
    revocationUnknown: chainOk && chain.revocation === 'unknown',
    timestampTime: ts.time?.toISOString() ?? null,
  };
}

/** Plain-text rendering of a report (CLI, logs). */
export function reportText(r: VerifyReport): string {
  if (r.signatures.length === 0) {
    return 'No signatures found.';
  }
  const lines: string[] = [];
  for (const s of r.signatures) {
    const kind = s.certification ? ` [certification signature, DocMDP P=${s.certification}]` : '';
    const verdict = s.trusted ? 'VALID' : s.revocationUnknown ? 'VALID, REVOCATION UNKNOWN (no CRL of the issuer)' : s.intact ? 'INTACT BUT NOT TRUSTED' : 'INVALID';
    lines.push(`Signature #${s.index + 1} "${s.fieldName}"${kind}: ${verdict}`);
    lines.push(`  signer: ${s.signerSubject ?? '?'}`, `  issuer: ${s.issuerSubject ?? '?'}`, `  serial: ${s.serialNumber ?? '?'}  time: ${s.signingTime ?? '?'}  type: ${s.subFilter ?? '?'}`);
    for (const c of s.checks) {
      lines.push(`  [${c.status === 'ok' ? ' ok ' : c.status === 'failed' ? 'FAIL' : ' ?? '}] ${c.name}: ${c.detail}`);
    }
  }
  lines.push(
    r.valid
      ? 'Result: all signatures valid and trusted.'
      : r.revocationUnknown
        ? 'Result: signatures valid, but the revocation status of at least one certificate is unknown (no CRL).'
        : 'Result: NOT all signatures are valid and trusted.',
  );
  return lines.join('\n');
}
