/**
 * Just enough of a MIME reader for tests to assert on what a real SMTP server received: headers
 * (RFC 2047 encoded words), multipart trees, quoted-printable and base64 bodies. Not for production.
 */

export interface MimePart {
  readonly headers: ReadonlyMap<string, string>;
  readonly contentType: string;
  readonly params: ReadonlyMap<string, string>;
  readonly body: Buffer;
  readonly parts: readonly MimePart[];
}

export interface ParsedMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: readonly { filename: string; contentType: string; content: Buffer }[];
  readonly root: MimePart;
}

function splitHeaderBody(raw: Buffer): { head: string; body: Buffer } {
  const idx = raw.indexOf('\r\n\r\n');
  if (idx < 0) {
    return { head: raw.toString('latin1'), body: Buffer.alloc(0) };
  }
  return { head: raw.subarray(0, idx).toString('latin1'), body: raw.subarray(idx + 4) };
}

function parseHeaders(head: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) {
      const key = line.slice(0, i).trim().toLowerCase();
      if (!map.has(key)) {
        map.set(key, line.slice(i + 1).trim());
      }
    }
  }
  return map;
}

function qpBytes(s: string, underscoreIsSpace: boolean): Buffer {
  const out: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i] ?? '';
    const hex = src.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '_' && underscoreIsSpace) {
      out.push(0x20);
    } else {
      out.push(src.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 2047: adjacent encoded words are joined (their bytes may split a UTF-8 character). */
export function decodeWords(value: string): string {
  const re = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = '';
  let last = 0;
  let pending: Buffer[] = [];
  const flush = (): void => {
    if (pending.length > 0) {
      out += Buffer.concat(pending).toString('utf8');
      pending = [];
    }
  };
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const between = value.slice(last, m.index);
    if (!/^\s*$/.test(between) || pending.length === 0) {
      flush();
      out += between;
    }
    const data = m[3] ?? '';
    pending.push(m[2]?.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data, true));
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

function parseParams(value: string): { main: string; params: Map<string, string> } {
  const [main = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i > 0) {
      const key = p.slice(0, i).trim().toLowerCase();
      let v = p.slice(i + 1).trim();
      if (v.startsWith('"') && v.endsWith('"')) {
        v = v.slice(1, -1);
      }
      if (key.endsWith('*')) {
        // RFC 2231: charset'lang'percent-encoded
        const parts = v.split("'");
        params.set(key.slice(0, -1), decodeURIComponent(parts[2] ?? v));
      } else {
        params.set(key, decodeWords(v));
      }
    }
  }
  return { main: main.trim().toLowerCase(), params };
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return qpBytes(body.toString('latin1'), false);
    default:
      return body;
  }
}

export function parsePart(raw: Buffer): MimePart {
  const { head, body } = splitHeaderBody(raw);
  const headers = parseHeaders(head);
  const { main, params } = parseParams(headers.get('content-type') ?? 'text/plain');
  const boundary = params.get('boundary');
  if (main.startsWith('multipart/') && boundary) {
    const text = body.toString('latin1');
    const sections = text.split(`--${boundary}`).slice(1);
    const parts: MimePart[] = [];
    for (const section of sections) {
      if (section.startsWith('--')) {
        break;
      }
      parts.push(parsePart(Buffer.from(section.replace(/^\r\n/, '').replace(/\r\n$/, ''), 'latin1')));
    }
    return { headers, contentType: main, params, body: Buffer.alloc(0), parts };
  }
  const disposition = parseParams(headers.get('content-disposition') ?? '');
  for (const [k, v] of disposition.params) {
    if (!params.has(k)) {
      params.set(k, v);
    }
  }
  if (disposition.main) {
    params.set('disposition', disposition.main);
  }
  return { headers, contentType: main, params, body: decodeBody(body, headers.get('content-transfer-encoding')), parts: [] };
}

function leaves(p: MimePart): MimePart[] {
  return p.parts.length === 0 ? [p] : p.parts.flatMap(leaves);
}

export function parseMail(raw: Buffer | string): ParsedMail {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const root = parsePart(buf.toString('latin1').includes('\r\n') ? buf : Buffer.from(buf.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
  const all = leaves(root);
  const isAttachment = (p: MimePart): boolean => p.params.get('disposition') === 'attachment' || p.params.has('filename');
  const text = all.find((p) => p.contentType === 'text/plain' && !isAttachment(p));
  const html = all.find((p) => p.contentType === 'text/html' && !isAttachment(p));
  return {
    from: decodeWords(root.headers.get('from') ?? ''),
    to: decodeWords(root.headers.get('to') ?? ''),
    subject: decodeWords(root.headers.get('subject') ?? ''),
    text: text?.body.toString('utf8') ?? '',
    html: html?.body.toString('utf8'),
    attachments: all.filter(isAttachment).map((p) => ({ filename: p.params.get('filename') ?? p.params.get('name') ?? '', contentType: p.contentType, content: p.body })),
    root,
  };
}
