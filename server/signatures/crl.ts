import { webcrypto, verify as nodeVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { child, children, readTlv, TAG } from './der';
import type { CertInfo } from './cert-info';

/**
 * CRLs are written with pkijs/asn1js because node-forge has no CRL writer (it can only read
 * certificates and PKCS#7/#12 structures). pkijs signs through WebCrypto, so the CA's PEM key is
 * imported into node's webcrypto for the one signing call.
 */
function ensureEngine(): void {
  // node's webcrypto is the WebCrypto API pkijs expects; its DOM type is not in our (node-only) lib.
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));
}

export interface CrlEntry {
  readonly serialHex: string;
  readonly revokedAt: Date;
}

function pkcs8Der(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export async function buildCrl(opts: {
  readonly issuerRaw: Uint8Array;
  readonly issuerKeyPkcs8Pem: string;
  readonly authorityKeyIdHex: string;
  readonly crlNumber: number;
  readonly entries: readonly CrlEntry[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}): Promise<Uint8Array> {
  ensureEngine();
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = pkijs.RelativeDistinguishedNames.fromBER(Uint8Array.from(opts.issuerRaw));
  crl.thisUpdate = new pkijs.Time({ type: 0, value: opts.thisUpdate });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: opts.nextUpdate });
  if (opts.entries.length > 0) {
    crl.revokedCertificates = opts.entries.map(
      (e) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: Buffer.from(e.serialHex.length % 2 ? `0${e.serialHex}` : e.serialHex, 'hex') }),
          revocationDate: new pkijs.Time({ type: 0, value: e.revokedAt }),
        }),
    );
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.20', critical: false, extnValue: new asn1js.Integer({ value: opts.crlNumber }).toBER(false) }),
      new pkijs.Extension({
        extnID: '2.5.29.35',
        critical: false,
        extnValue: new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: Buffer.from(opts.authorityKeyIdHex, 'hex') }),
        })
          .toSchema()
          .toBER(false),
      }),
    ],
  });
  const key = await webcrypto.subtle.importKey('pkcs8', pkcs8Der(opts.issuerKeyPkcs8Pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  await crl.sign(key as unknown as Parameters<typeof crl.sign>[0], 'SHA-256');
  // pkijs types CertificateRevocationList.toSchema as `any`.
  const schema = crl.toSchema(true) as asn1js.Sequence;
  return new Uint8Array(schema.toBER(false));
}

export interface ParsedCrl {
  readonly issuerRaw: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revoked: ReadonlyMap<string, Date>;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
}

function readTime(raw: Uint8Array): Date {
  const t = readTlv(raw);
  const s = Buffer.from(t.content).toString('latin1');
  const full = t.tag === TAG.UTC_TIME ? (Number(s.slice(0, 2)) >= 50 ? '19' : '20') + s : s;
  return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
}

/** Reads a DER CRL (RFC 5280 5.1) with our DER walker: only what revocation checks need. */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const root = readTlv(der);
  const tbs = child(root, 0);
  const fields = children(tbs);
  let i = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  i++; // signature algorithm
  const issuer = fields[i++];
  const thisUpdate = fields[i++];
  let nextUpdate: Date | undefined;
  const maybeNext = fields[i];
  if (maybeNext && (maybeNext.tag === TAG.UTC_TIME || maybeNext.tag === TAG.GENERALIZED_TIME)) {
    nextUpdate = readTime(maybeNext.raw);
    i++;
  }
  const revoked = new Map<string, Date>();
  const list = fields[i];
  if (list && list.tag === TAG.SEQUENCE) {
    for (const entry of children(list)) {
      const serial = Buffer.from(child(entry, 0).content).toString('hex').replace(/^00(?=[89a-f])/, '');
      revoked.set(serial, readTime(child(entry, 1).raw));
    }
  }
  if (!issuer || !thisUpdate) {
    throw new Error('malformed CRL');
  }
  const sig = child(root, 2);
  return { issuerRaw: issuer.raw, thisUpdate: readTime(thisUpdate.raw), nextUpdate, revoked, tbs: tbs.raw, signature: sig.content.subarray(1) };
}

/** True when `crl` is signed by `issuer` (RSA/ECDSA with SHA-256). */
const verdicts = new WeakMap<ParsedCrl, Map<string, boolean>>();

export function crlSignedBy(crl: ParsedCrl, issuer: CertInfo): boolean {
  let byIssuer = verdicts.get(crl);
  if (!byIssuer) {
    byIssuer = new Map();
    verdicts.set(crl, byIssuer);
  }
  const hit = byIssuer.get(issuer.sha256);
  if (hit !== undefined) {
    return hit;
  }
  let ok = false;
  if (Buffer.compare(Buffer.from(crl.issuerRaw), Buffer.from(issuer.subjectRaw)) === 0) {
    try {
      ok = nodeVerify('sha256', crl.tbs, issuer.publicKey, crl.signature);
    } catch {
      ok = false;
    }
  }
  byIssuer.set(issuer.sha256, ok);
  return ok;
}
