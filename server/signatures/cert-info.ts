import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { OID } from './oids';
import { TAG, child, children, decodeOid, readTlv, type Tlv } from './der';

/** keyUsage bit names in RFC 5280 order (bit 0 first). */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/**
 * A parsed certificate: node:crypto for keys, names and signatures (fast, native), plus the raw DER
 * pieces that CMS needs byte-exactly (issuer Name, serial INTEGER) and the extensions node does not
 * expose (keyUsage bits).
 */
export interface CertInfo {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  /** Cached: X509Certificate.publicKey builds a new KeyObject on every access. */
  readonly publicKey: KeyObject;
  readonly sha256: string;
  readonly issuerRaw: Uint8Array;
  readonly subjectRaw: Uint8Array;
  /** The serial INTEGER's content bytes. */
  readonly serial: Uint8Array;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** undefined when the extension is absent (= any usage, RFC 5280 4.2.1.3). */
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly isCa: boolean;
  readonly subjectCn: string;
}

/** Parsed certificates by sha256 (least recently used dropped first). */
const cache = new LRUCache<string, CertInfo>({ max: 5000 });

function parseKeyUsage(value: Tlv): Set<KeyUsage> {
  const bits = readTlv(value.content);
  const unused = bits.content[0] ?? 0;
  const out = new Set<KeyUsage>();
  for (let i = 1; i < bits.content.length; i++) {
    const byte = bits.content[i] ?? 0;
    for (let b = 0; b < 8; b++) {
      const idx = (i - 1) * 8 + b;
      const isLast = i === bits.content.length - 1;
      if (isLast && b >= 8 - unused) {
        break;
      }
      const name = KEY_USAGE_BITS[idx];
      if (name && byte & (0x80 >> b)) {
        out.add(name);
      }
    }
  }
  return out;
}

function parseTime(t: Tlv): Date {
  const s = Buffer.from(t.content).toString('latin1');
  if (t.tag === TAG.UTC_TIME) {
    const yy = Number(s.slice(0, 2));
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return new Date(`${year}-${s.slice(2, 4)}-${s.slice(4, 6)}T${s.slice(6, 8)}:${s.slice(8, 10)}:${s.slice(10, 12)}Z`);
  }
  return new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`);
}

/**
 * Second-level cache keyed without hashing (ballot benchmark): length plus the last 4 bytes
 * (the tail of the issuer's signature value, effectively random per certificate). A hit is confirmed by
 * comparing every byte, so a colliding key can only cost a miss, never return the wrong certificate.
 */
const byBytes = new LRUCache<number, CertInfo[]>({ max: 5000 });

function bytesKey(der: Uint8Array): number {
  const n = der.length;
  // 2^53 > length * 2^32: the length and the last four bytes fit exactly in one number key.
  return n * 2 ** 32 + (((der[n - 1] ?? 0) << 24) >>> 0) + ((der[n - 2] ?? 0) << 16) + ((der[n - 3] ?? 0) << 8) + (der[n - 4] ?? 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Parses (and caches: ballots reuse a few hundred certificates) a DER certificate. */
export function certInfo(der: Uint8Array): CertInfo {
  const key = bytesKey(der);
  const candidates = byBytes.get(key);
  if (candidates) {
    for (const c of candidates) {
      if (sameBytes(c.der, der)) {
        return c;
      }
    }
  }
  const info = parseCertInfo(der);
  byBytes.set(key, [...(candidates ?? []), info]);
  return info;
}

function parseCertInfo(input: Uint8Array): CertInfo {
  // Own copy: callers may hand us a view into a larger buffer (a CMS, a PDF) that they reuse.
  const der = Uint8Array.from(input);
  const sha256 = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(sha256);
  if (hit) {
    return hit;
  }
  const root = readTlv(der);
  const tbs = child(root, 0);
  const fields = children(tbs);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serialTlv = fields[i++];
  i++; // signature algorithm
  const issuer = fields[i++];
  const validity = fields[i++];
  const subject = fields[i];
  if (!serialTlv || !issuer || !validity || !subject) {
    throw new Error('malformed certificate');
  }
  let keyUsage: Set<KeyUsage> | undefined;
  let extKeyUsage: string[] | undefined;
  let isCa = false;
  const extWrapper = fields.find((f) => f.tag === 0xa3);
  if (extWrapper) {
    for (const ext of children(child(extWrapper, 0))) {
      const parts = children(ext);
      const id = decodeOid(parts[0]?.content ?? new Uint8Array());
      const value = parts[parts.length - 1];
      if (!value) {
        continue;
      }
      if (id === OID.keyUsage) {
        keyUsage = parseKeyUsage(value);
      } else if (id === OID.extKeyUsage) {
        extKeyUsage = children(readTlv(value.content)).map((o) => decodeOid(o.content));
      } else if (id === OID.basicConstraints) {
        const bc = children(readTlv(value.content));
        isCa = bc[0]?.tag === 0x01 && (bc[0].content[0] ?? 0) !== 0;
      }
    }
  }
  const x509 = new X509Certificate(der);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1] ?? x509.subject;
  const info: CertInfo = {
    der,
    x509,
    publicKey: x509.publicKey,
    sha256,
    issuerRaw: issuer.raw,
    subjectRaw: subject.raw,
    serial: serialTlv.content,
    serialHex: Buffer.from(serialTlv.content).toString('hex').replace(/^00(?=[89a-f])/, ''),
    notBefore: parseTime(child(validity, 0)),
    notAfter: parseTime(child(validity, 1)),
    keyUsage,
    extKeyUsage,
    isCa,
    subjectCn: cn,
  };
  cache.set(sha256, info);
  return info;
}

export function pemToDer(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) {
    out.push(Buffer.from(m[1] ?? '', 'base64'));
  }
  return out;
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`;
}

/** One attribute of the subject (`CN`, `O`, `title`, …) as node prints it, decoded; undefined when absent. */
export function subjectPart(info: CertInfo, key: string): string | undefined {
  return new RegExp(`(?:^|\\n)${key}=([^\\n]*)`).exec(info.x509.subject)?.[1];
}
