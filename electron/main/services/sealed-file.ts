import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Encrypted file format used for every byte the desktop app keeps on disk (AES-256-GCM, node:crypto):
 *
 *   "ECB1" | record* ,  record = u32 plaintext length | 12-byte IV | 16-byte tag | ciphertext
 *
 * Files are a sequence of independently authenticated records so a download can be appended record by
 * record and resumed after a crash without ever writing plaintext. Each record's additional data binds
 * it to its file label and position, so records cannot be reordered or moved between files.
 */
const MAGIC = Buffer.from('ECB1');
const HEADER = 4 + 12 + 16;
export const MAX_RECORD = 4 * 1024 * 1024;

function aad(label: string, index: number): Buffer {
  const idx = Buffer.alloc(4);
  idx.writeUInt32BE(index);
  return Buffer.concat([Buffer.from(label, 'utf8'), Buffer.from([0]), idx]);
}

export function sealRecord(key: Buffer, label: string, index: number, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(label, index));
  const body = Buffer.concat([c.update(plain), c.final()]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(plain.length);
  return Buffer.concat([len, iv, c.getAuthTag(), body]);
}

export class SealedFileError extends Error {}

export interface OpenedRecords {
  /** Decrypted records in order. */
  readonly records: Buffer[];
  /** Byte length of the valid prefix of the file (header + complete, authentic records). */
  readonly validLength: number;
  /** True when bytes after the valid prefix were found (a torn write or tampering). */
  readonly trailing: boolean;
}

/** Decrypts all records; stops at the first incomplete or inauthentic one and reports it. */
export function openRecords(key: Buffer, label: string, data: Buffer): OpenedRecords {
  if (data.length === 0) {
    return { records: [], validLength: 0, trailing: false };
  }
  if (data.length < MAGIC.length || !data.subarray(0, 4).equals(MAGIC)) {
    return { records: [], validLength: 0, trailing: true };
  }
  const records: Buffer[] = [];
  let pos = MAGIC.length;
  while (pos < data.length) {
    if (pos + HEADER > data.length) {
      break;
    }
    const len = data.readUInt32BE(pos);
    if (len > MAX_RECORD || pos + HEADER + len > data.length) {
      break;
    }
    const iv = data.subarray(pos + 4, pos + 16);
    const tag = data.subarray(pos + 16, pos + HEADER);
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(aad(label, records.length));
    d.setAuthTag(tag);
    try {
      records.push(Buffer.concat([d.update(data.subarray(pos + HEADER, pos + HEADER + len)), d.final()]));
    } catch {
      break;
    }
    pos += HEADER + len;
  }
  return { records, validLength: pos, trailing: pos < data.length };
}

/** Reads a whole sealed file; any damage is an error (for finished files, unlike resumable parts). */
export function openSealed(key: Buffer, label: string, data: Buffer): Buffer {
  const r = openRecords(key, label, data);
  if (r.trailing) {
    throw new SealedFileError('encrypted file is damaged or was modified');
  }
  return Buffer.concat(r.records);
}

/** Seals a small value (index, notes) as one file in a single write. */
export function sealWhole(key: Buffer, label: string, plain: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, sealRecord(key, label, 0, plain)]);
}

/** Appends records to a sealed file, writing the magic first when the file is new. */
export class SealedAppender {
  private constructor(
    private readonly fh: FileHandle,
    private readonly key: Buffer,
    private readonly label: string,
    private index: number,
  ) {}

  static async open(
    path: string,
    key: Buffer,
    label: string,
    validLength: number,
    recordCount: number,
  ): Promise<SealedAppender> {
    const fh = await open(path, validLength > 0 ? 'r+' : 'w', 0o600);
    // Drop a torn last record before appending after the authentic prefix.
    await fh.truncate(validLength);
    if (validLength === 0) {
      await fh.write(MAGIC, 0, MAGIC.length, 0);
    }
    return new SealedAppender(fh, key, label, recordCount);
  }

  async append(plain: Uint8Array): Promise<void> {
    const rec = sealRecord(this.key, this.label, this.index, plain);
    const { size } = await this.fh.stat();
    await this.fh.write(rec, 0, rec.length, size);
    this.index += 1;
  }

  async close(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
  }
}
