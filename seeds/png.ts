import { deflateSync } from 'node:zlib';

/**
 * A tiny PNG encoder (8-bit grayscale) and a synthetic "scanned page" painter, so the demo has a
 * raster-only PDF without shipping binary fixtures or an image library.
 */

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** width × height luminance values, row-major. */
  readonly pixels: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function grayPng(img: GrayImage): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  // Each scanline is prefixed with filter type 0 (none).
  const raw = Buffer.alloc((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (img.width + 1)] = 0;
    raw.set(img.pixels.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Paper-grey page with slight grain, lines of "handwriting-like" ink blocks and a round stamp. */
export function scanPage(index: number, width = 827, height = 1169): GrayImage {
  const px = new Uint8Array(width * height);
  let seed = 0x9e3779b9 ^ (index * 7919);
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  // Sparse specks rather than full grain: real enough for a renderer, and it compresses.
  px.fill(236);
  for (let i = 0; i < px.length / 40; i++) {
    px[Math.floor(rnd() * px.length)] = 200 + Math.floor(rnd() * 30);
  }
  const ink = (x0: number, y0: number, w: number, h: number, v: number): void => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        px[y * width + x] = (x ^ y) & 3 ? v : v + 40;
      }
    }
  };
  // Title block, then lines of words of random widths.
  ink(260, 90, 300, 14, 30);
  for (let line = 0; line < 38; line++) {
    const y = 150 + line * 26;
    let x = 80 + (line % 7 === 0 ? 30 : 0);
    const end = line % 9 === 8 ? 420 : 750;
    while (x < end) {
      const w = 18 + Math.floor(rnd() * 70);
      ink(x, y, Math.min(w, end - x), 9, 40);
      x += w + 9;
    }
  }
  // A red-ink stamp reads as a dark ring in grayscale.
  const cx = 600;
  const cy = 1080 - (index % 3) * 10;
  for (let y = cy - 60; y <= cy + 60; y++) {
    for (let x = cx - 60; x <= cx + 60; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > 48 && d < 56 && y >= 0 && y < height) {
        px[y * width + x] = 90;
      }
    }
  }
  return { width, height, pixels: px };
}
