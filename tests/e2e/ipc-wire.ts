/**
 * How IPC payloads cross the page ↔ Node bridge of desktop-host.ts, which carries JSON only: bytes
 * travel as { $bytes: base64 }. Runs on both sides (atob/btoa exist in browsers and in Node).
 */
export type Wire = null | boolean | number | string | Wire[] | { [k: string]: Wire };

export function toWire(v: unknown): Wire {
  if (v instanceof Uint8Array) {
    let s = '';
    for (const b of v) {
      s += String.fromCharCode(b);
    }
    return { $bytes: btoa(s) };
  }
  if (Array.isArray(v)) {
    return v.map(toWire);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  }
  return v === undefined ? null : (v as Wire);
}

export function fromWire(v: Wire): unknown {
  if (Array.isArray(v)) {
    return v.map(fromWire);
  }
  if (v && typeof v === 'object') {
    const bytes = v.$bytes;
    if (typeof bytes === 'string' && Object.keys(v).length === 1) {
      return Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(x)]));
  }
  return v;
}
