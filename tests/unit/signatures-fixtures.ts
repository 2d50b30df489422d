import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { initCa, issueMemberCert, type IssuedCert } from '../../server/signatures/ca';
import { pemKeySigner, type CmsSigner } from '../../server/signatures/cms-sign';

// Keys are generated once per process and reused: RSA key generation dominates test time.
const pool: string[] = [];
function pooledKey(i: number): string {
  while (pool.length <= i) {
    pool.push(generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey);
  }
  return pool[i] ?? '';
}
// Members share keys 0-3; each CA gets its own (4, 5, …) so no foreign CA can pose as ours.
let counter = 0;
let caCounter = 4;

/** One organization CA per test file (RSA keys from node:crypto: fast), members issued on demand. */
export async function makeCa(name = 'CA Hội đồng nhân dân tỉnh Thử Nghiệm'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ecab-sig-'));
  await initCa(dir, { name, organization: 'Hội đồng nhân dân tỉnh Thử Nghiệm', keyBits: 2048, keyPem: pooledKey(caCounter++) });
  return dir;
}

export function signerOf(c: IssuedCert): CmsSigner {
  return pemKeySigner(c.keyPem, [c.certDer, ...c.chainDer]);
}

export async function member(dataDir: string, cn: string, extra: Partial<Parameters<typeof issueMemberCert>[1]> = {}): Promise<IssuedCert> {
  return issueMemberCert(dataDir, { commonName: cn, title: 'Đại biểu', keyPem: pooledKey(counter++ % 4), ...extra });
}

/** A real PDF with `pages` pages of text; `objectStreams` saves with xref/object streams (PDF 1.5+). */
export async function samplePdf(pages = 3, objectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage([595, 842]);
    p.drawText(`Resolution draft - page ${i + 1}`, { x: 50, y: 780, font, size: 18 });
    for (let l = 0; l < 30; l++) {
      p.drawText(`Article ${l + 1}: the council decides on item ${i * 30 + l}.`, { x: 50, y: 740 - l * 20, font, size: 11 });
    }
  }
  return doc.save({ useObjectStreams: objectStreams });
}

export const STAMP_RECT = { x: 320, y: 60, width: 230, height: 70 };

/** A small red round "seal" PNG (RGBA), encoded here so tests need no image files. */
export function sealPng(size = 96): Uint8Array {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const ring = (d < c - 2 && d > c - 8) || d < c / 4;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = 210;
      raw[o + 1] = 20;
      raw[o + 2] = 20;
      raw[o + 3] = ring ? 220 : 0;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
  }
  return ~c >>> 0;
}
