import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openRecords,
  openSealed,
  SealedAppender,
  sealWhole,
} from '../../../electron/main/services/sealed-file';

const key = randomBytes(32);
const dir = mkdtempSync(join(tmpdir(), 'ecab-sealed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sealedFile(name: string, label: string, parts: string[]): Promise<string> {
  const path = join(dir, name);
  const out = await SealedAppender.open(path, key, label, 0, 0);
  for (const p of parts) {
    await out.append(Buffer.from(p));
  }
  await out.close();
  return path;
}

describe('sealed files (AES-256-GCM records)', () => {
  it('round-trips and never stores the plaintext', async () => {
    const path = await sealedFile('a', 'doc-a', ['Nghị quyết ', 'về ngân sách']);
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('ngân sách'))).toBe(false);
    expect(openSealed(key, 'doc-a', bytes).toString()).toBe('Nghị quyết về ngân sách');
    expect(openSealed(key, 'small', sealWhole(key, 'small', Buffer.from('{}'))).toString()).toBe('{}');
  });

  it('refuses a flipped bit, another label, another key, and reordered records', async () => {
    const bytes = readFileSync(await sealedFile('b', 'doc-b', ['first', 'second']));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(() => openSealed(key, 'doc-b', flipped)).toThrow(/damaged or was modified/);
    expect(() => openSealed(key, 'doc-other', bytes)).toThrow();
    expect(() => openSealed(randomBytes(32), 'doc-b', bytes)).toThrow();
    // Swap the two records (each: 4 + 12 + 16 header bytes + body).
    const first = bytes.subarray(4, 4 + 32 + 5);
    const second = bytes.subarray(4 + 32 + 5);
    expect(() => openSealed(key, 'doc-b', Buffer.concat([bytes.subarray(0, 4), second, first]))).toThrow();
  });

  it('keeps the authentic prefix of a torn file so a download can resume after it', async () => {
    const path = await sealedFile('c', 'doc-c', ['aaaa', 'bbbb', 'cccc']);
    const bytes = readFileSync(path);
    const torn = bytes.subarray(0, bytes.length - 3);
    const r = openRecords(key, 'doc-c', torn);
    expect(r.records.map(String)).toEqual(['aaaa', 'bbbb']);
    expect(r.trailing).toBe(true);
    writeFileSync(path, torn);
    const out = await SealedAppender.open(path, key, 'doc-c', r.validLength, r.records.length);
    await out.append(Buffer.from('CCCC'));
    await out.close();
    expect(openSealed(key, 'doc-c', readFileSync(path)).toString()).toBe('aaaabbbbCCCC');
  });
});
