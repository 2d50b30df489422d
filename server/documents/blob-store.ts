import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const SHA256 = /^[0-9a-f]{64}$/;
/** Bytes kept from the start of a blob for magic-number checks. */
const HEAD_BYTES = 1024;
/** Temp files older than this at start-up belong to uploads cut off by a crash. */
const STALE_TMP_MS = 3600_000;

/** A blob written to a temp file and hashed, not yet in the store: commit() or discard() it. */
export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  /** First bytes, for magic-number checks without re-reading the file. */
  readonly head: Buffer;
  readonly tmpPath: string;
}

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly head: Buffer;
  /** Path of the stored file (content-addressed, immutable). */
  readonly path: string;
  /** False when identical content was already stored (deduplicated). */
  readonly created: boolean;
}

export interface StageOptions {
  /**
   * Looks at the first bytes once they have arrived (or at the end for shorter blobs). A returned
   * error stops writing to disk, drains the rest of the source (so the client gets a clean answer
   * instead of a reset connection) and is then thrown.
   */
  readonly sniff?: (head: Buffer) => Error | undefined;
  /** Bytes `sniff` needs; default HEAD_BYTES. */
  readonly sniffBytes?: number;
}

/** Thrown when a multipart file stream was cut at the configured size limit. */
export class BlobTooLargeError extends Error {
  readonly code = 'FST_REQ_FILE_TOO_LARGE';
  readonly statusCode = 413;
  constructor() {
    super('File exceeds the upload size limit');
  }
}

/**
 * Content-addressed store: a blob's file name is its sha256, so identical files are stored once
 * and no user-supplied name ever reaches the file system (no path traversal). Writes go to
 * `tmp/` first and are renamed into place, so a reader never sees a half-written blob.
 */
export class BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    // Leftovers of uploads interrupted by a crash. Only old ones: another node may share this
    // directory and be mid-upload right now.
    const now = Date.now();
    for (const name of await readdir(this.tmpDir)) {
      const p = join(this.tmpDir, name);
      try {
        if (now - (await stat(p)).mtimeMs > STALE_TMP_MS) {
          await rm(p, { force: true, recursive: true });
        }
      } catch {
        // Removed concurrently: nothing to do.
      }
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) {
      throw new Error('invalid blob id');
    }
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` to a temp file while hashing. On any error (aborted request, size limit,
   * sniff rejection) the temp file is removed: nothing half-written remains.
   */
  async stage(source: Readable, opts: StageOptions = {}): Promise<StagedBlob> {
    const tmpPath = join(this.tmpDir, randomUUID());
    const hash = createHash('sha256');
    const sniffBytes = opts.sniffBytes ?? HEAD_BYTES;
    let size = 0;
    let head = Buffer.alloc(0);
    let rejected: Error | undefined;
    let sniffed = !opts.sniff;
    const sniff = (): void => {
      sniffed = true;
      rejected = opts.sniff?.(head);
    };
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (head.length < HEAD_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        }
        if (!sniffed && head.length >= sniffBytes) {
          sniff();
        }
        if (rejected) {
          // Keep draining the source but write nothing more.
          cb();
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
      flush(cb) {
        if (!sniffed) {
          sniff();
        }
        cb();
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmpPath, { flags: 'wx' }));
      // Multipart streams signal the size limit with a flag rather than an error.
      if ((source as Readable & { truncated?: boolean }).truncated) {
        throw new BlobTooLargeError();
      }
      if (rejected) {
        throw rejected;
      }
      return { sha256: hash.digest('hex'), size, head, tmpPath };
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw err;
    }
  }

  /** Moves a staged blob into place (or drops it when identical content is already stored). */
  async commit(staged: StagedBlob): Promise<StoredBlob> {
    const path = this.pathOf(staged.sha256);
    const base = { sha256: staged.sha256, size: staged.size, head: staged.head, path };
    try {
      if (await this.exists(staged.sha256)) {
        return { ...base, created: false };
      }
      await mkdir(join(this.root, staged.sha256.slice(0, 2)), { recursive: true });
      // rename is atomic; two concurrent commits of the same content both end with one good file.
      await rename(staged.tmpPath, path);
      return { ...base, created: true };
    } finally {
      await rm(staged.tmpPath, { force: true });
    }
  }

  async discard(staged: StagedBlob): Promise<void> {
    await rm(staged.tmpPath, { force: true });
  }

  /** stage + commit, for trusted sources (the demo seed). */
  async put(source: Readable | Buffer): Promise<StoredBlob> {
    const stream = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    return this.commit(await this.stage(stream));
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** Size on disk, or undefined when the blob file is missing. */
  async sizeOf(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch {
      return undefined;
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
