// @ts-check
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-builder require()s its config and hooks. */
/**
 * Generates the application icon (PNG) in code at packaging time, so the repository holds no binary
 * images and nothing is downloaded: a blue rounded square with a white document and a gold seal.
 * build/icon.svg is the same picture as a vector source for designers.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const zlib = require('node:zlib');

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** @param {number} size @returns {Buffer} */
function renderIcon(size) {
  const px = Buffer.alloc(size * (size * 4 + 1));
  const s = size / 512;
  const radius = 96 * s;
  /** @param {number} x @param {number} y @returns {[number, number, number, number]} */
  function color(x, y) {
    // Rounded square background.
    const cx = Math.min(Math.max(x, radius), size - radius);
    const cy = Math.min(Math.max(y, radius), size - radius);
    if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) {
      return [0, 0, 0, 0];
    }
    // Gold seal (bottom right of the page).
    if ((x - 340 * s) ** 2 + (y - 360 * s) ** 2 < (56 * s) ** 2) {
      return [212, 160, 23, 255];
    }
    // White page with grey text lines.
    if (x > 136 * s && x < 376 * s && y > 96 * s && y < 416 * s) {
      const line = Math.floor((y - 140 * s) / (36 * s));
      const inLine =
        y > 140 * s && line < 5 && (y - 140 * s) % (36 * s) < 14 * s && x > 168 * s && x < 344 * s;
      return inLine ? [150, 160, 175, 255] : [255, 255, 255, 255];
    }
    return [25, 82, 160, 255];
  }
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    px[row] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = color(x + 0.5, y + 0.5);
      px.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(px, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Writes a 512×512 icon to `file` and returns the path (electron-builder needs ≥ 256 px). */
function writeIcon(file) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderIcon(512));
  return file;
}

module.exports = { renderIcon, writeIcon };
