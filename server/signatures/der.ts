/**
 * Minimal DER writer and reader. CMS is built and read by hand rather than through pkijs objects: we
 * need byte-exact control (signed attributes must be DER-sorted, or OpenSSL — which re-encodes them —
 * rejects the signature) and the ballot verifier must stay far below 100 µs per signature, where a
 * generic ASN.1 object model costs more than the RSA verification itself.
 */

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function lengthBytes(len: number): Uint8Array {
  if (len < 0x80) {
    return Uint8Array.of(len);
  }
  const out: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) {
    out.unshift(n & 0xff);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const seq = (...c: readonly Uint8Array[]) => tlv(TAG.SEQUENCE, ...c);
export const octets = (b: Uint8Array) => tlv(TAG.OCTET_STRING, b);
export const derNull = () => Uint8Array.of(0x05, 0x00);
/** Context-specific tag: [n] constructed (EXPLICIT or IMPLICIT of a constructed type). */
export const ctx = (n: number, ...c: readonly Uint8Array[]) => tlv(0xa0 | n, ...c);

/** A SET OF, DER-ordered: elements sorted by their encodings (X.690 11.6). */
export function setOf(elements: readonly Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort(compareBytes);
  return tlv(TAG.SET, ...sorted);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) {
      return d;
    }
  }
  return a.length - b.length;
}

export function integer(n: number): Uint8Array {
  if (n < 0 || n > 0x7fffffff) {
    throw new Error('integer out of range');
  }
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) {
    bytes.unshift(0);
  }
  return tlv(TAG.INTEGER, Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  // BigInt arcs: 2.25.<UUID> OIDs (X.667) have a 128-bit last arc.
  const parts = dotted.split('.').map((x) => BigInt(x));
  const [a = 0n, b = 0n, ...rest] = parts;
  const out: number[] = [Number(a * 40n + b)];
  for (const p of rest) {
    const chunk: number[] = [Number(p & 0x7fn)];
    for (let v = p >> 7n; v > 0n; v >>= 7n) {
      chunk.unshift(Number(v & 0x7fn) | 0x80);
    }
    out.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

export function decodeOid(content: Uint8Array): string {
  const first = content[0] ?? 0;
  const parts: (number | bigint)[] = [Math.floor(first / 40), first % 40];
  let v = 0n;
  for (let i = 1; i < content.length; i++) {
    const byte = content[i] ?? 0;
    v = (v << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0n;
    }
  }
  return parts.join('.');
}

/** One decoded TLV: `raw` is the whole element, `content` its value bytes (views, no copies). */
export interface Tlv {
  readonly tag: number;
  readonly raw: Uint8Array;
  readonly content: Uint8Array;
}

export class DerError extends Error {}

/** Reads the element at `offset`; throws DerError on truncated or indefinite-length input. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) {
    throw new DerError('truncated DER');
  }
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) {
      throw new DerError('unsupported DER length');
    }
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + (buf[offset + 2 + i] ?? 0);
    }
    head += n;
  }
  const end = offset + head + len;
  if (end > buf.length) {
    throw new DerError('truncated DER');
  }
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + head, end) };
}

/** The children of a constructed element. */
export function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let off = 0;
  while (off < t.content.length) {
    const c = readTlv(t.content, off);
    out.push(c);
    off += c.raw.length;
  }
  return out;
}

export function child(t: Tlv, index: number): Tlv {
  const c = children(t)[index];
  if (!c) {
    throw new DerError(`missing ASN.1 element #${index}`);
  }
  return c;
}

export function expectTag(t: Tlv, tag: number, what: string): Tlv {
  if (t.tag !== tag) {
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  }
  return t;
}

/** Replaces the first byte (e.g. [0] IMPLICIT signedAttrs → SET for signature input, RFC 5652 5.4). */
export function retag(raw: Uint8Array, tag: number): Uint8Array {
  const out = Uint8Array.from(raw);
  out[0] = tag;
  return out;
}
