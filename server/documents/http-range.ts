/** Pure HTTP helpers for document downloads (RFC 9110 §13–14, RFC 6266, RFC 8187). */
import rangeParser from 'range-parser';

export type RangeResult =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable'; readonly reason: string };

const SUFFIX = /^bytes=\s*-\s*(\d+)$/;

/**
 * Parses a single byte range against a representation of `size` bytes (the `range-parser` package,
 * the one Express and `send` use). `bytes=a-b`, `bytes=a-` and the suffix form `bytes=-n` are
 * served; several ranges, other units or malformed headers are refused (416) rather than silently
 * answered with the whole file, so a client never mistakes what it got.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) {
    return { kind: 'full' };
  }
  // A suffix longer than the document means the whole document (RFC 9110 §14.1.2); range-parser
  // would call it unsatisfiable.
  const value = header.trim();
  const suffix = SUFFIX.exec(value);
  const parsed = rangeParser(size, suffix && size > 0 && Number(suffix[1]) > size ? 'bytes=0-' : value);
  if (parsed === -2 || (parsed !== -1 && (parsed.type !== 'bytes' || parsed.length !== 1))) {
    return { kind: 'unsatisfiable', reason: 'Only a single range of the form bytes=start-end is supported' };
  }
  const [range] = parsed === -1 ? [] : parsed;
  if (!range) {
    return { kind: 'unsatisfiable', reason: `Range starts beyond the end of the ${size}-byte document or ends before it starts` };
  }
  return { kind: 'partial', start: range.start, end: range.end };
}

/** Weak comparison of an If-None-Match list against our strong ETag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) {
    return false;
  }
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * `attachment` (never rendered as a page of our origin) with an ASCII fallback `filename` and the exact UTF-8 name in `filename*` (RFC 8187),
 * so Vietnamese names like "Dự thảo Nghị quyết.pdf" survive in every browser.
 */
export function contentDisposition(name: string): string {
  const withExt = /\.pdf$/i.test(name) ? name : `${name}.pdf`;
  const ascii = withExt
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._ -]/g, '_');
  const encoded = encodeURIComponent(withExt.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
