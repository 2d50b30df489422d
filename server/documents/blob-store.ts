import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  /** First bytes, for magic-number checks without re-reading the file. */
  readonly head: Buffer;
  /** Path of the stored file (content-addressed, immutable). */
  readonly path: string;
}

/**
 * Content-addressed store: a blob's file name is its sha256, so identical files are stored once
 * and no user-supplied name ever reaches the file system (no path traversal).
 */
export class BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    // Leftovers of uploads interrupted by a crash.
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) {
      throw new Error('invalid blob id');
    }
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` to a temp file while hashing, then moves it into place. On any error
   * (aborted request, size limit) the temp file is removed: nothing half-written remains.
   */
  async put(source: Readable): Promise<StoredBlob> {
    const tmp = join(this.tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headLen = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        if (headLen < 1024) {
          headChunks.push(chunk.subarray(0, 1024 - headLen));
          headLen += Math.min(chunk.length, 1024 - headLen);
        }
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmp, { flags: 'wx' }));
      // Multipart streams signal the size limit with a flag rather than an error.
      if ((source as Readable & { truncated?: boolean }).truncated) {
        throw Object.assign(new Error('File exceeds the upload size limit'), { code: 'FST_REQ_FILE_TOO_LARGE', statusCode: 413 });
      }
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
      if (await this.exists(sha256)) {
        await rm(tmp, { force: true });
      } else {
        await rename(tmp, final);
      }
      return { sha256, size, head: Buffer.concat(headChunks), path: final };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** Inclusive byte range, as in HTTP Range. */
  read(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
