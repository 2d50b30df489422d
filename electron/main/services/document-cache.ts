import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IpcError } from '../ipc/ipc-error';
import { CacheIndex } from './cache-index';
import { loadOrCreateDataKey } from './data-key';
import { downloadSealed } from './resumable-download';
import type { SafeStorageLike } from './safe-storage';
import { NotesStore } from './notes';
import { openSealed, SealedFileError } from './sealed-file';

const SHA256 = /^[0-9a-f]{64}$/;

export interface DocumentSource {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  /** Absolute content URL. */
  readonly url: string;
}

export interface EnsureOptions {
  readonly meetingId: string;
  readonly name: string;
  /** The user the server listed the document for (the manifest was fetched with their session). */
  readonly userId: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number) => void;
}

export interface DocumentCacheOptions {
  readonly dir: string;
  readonly safeStorage: SafeStorageLike;
  readonly fetchImpl?: typeof fetch;
  /** Bytes per sealed record (tests use small records to interrupt downloads mid-file). */
  readonly recordSize?: number;
}

/**
 * The encrypted offline document store: content-addressed by sha256, every file sealed with
 * AES-256-GCM under a data key that only safeStorage can unwrap, verified against the manifest's
 * sha256 before it is accepted and again when it is read.
 */
export class DocumentCache {
  private readonly inflight = new Map<string, Promise<'downloaded' | 'skipped'>>();

  private constructor(
    private readonly opts: DocumentCacheOptions,
    private readonly key: Buffer,
    readonly index: CacheIndex,
  ) {}

  static async open(opts: DocumentCacheOptions): Promise<DocumentCache> {
    await mkdir(join(opts.dir, 'blobs'), { recursive: true, mode: 0o700 });
    const key = await loadOrCreateDataKey(join(opts.dir, 'data-key.bin'), opts.safeStorage);
    const index = await CacheIndex.load(join(opts.dir, 'index.bin'), key);
    return new DocumentCache(opts, key, index);
  }

  /** Notes are sealed under the same data key (one key per device, one unlock). */
  notesStore(dir: string): NotesStore {
    return new NotesStore(dir, this.key);
  }

  blobPath(sha256: string): string {
    if (!SHA256.test(sha256)) {
      throw new IpcError('VALIDATION_ERROR', 'invalid sha256');
    }
    return join(this.opts.dir, 'blobs', `${sha256}.enc`);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.blobPath(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** Which of these sha256 values `userId` may read offline on this device. */
  async cached(sha256s: readonly string[], userId: string): Promise<string[]> {
    const mine = new Set(
      Object.values(this.index.data.documents)
        .filter((d) => d.users.includes(userId))
        .map((d) => d.sha256),
    );
    const out: string[] = [];
    for (const s of sha256s) {
      if (SHA256.test(s) && mine.has(s) && (await this.has(s))) {
        out.push(s);
      }
    }
    return out;
  }

  /**
   * Makes sure the content is cached (downloading or resuming as needed) and records the document for
   * its meeting and user. Callers pass only documents from a manifest the server gave that user.
   */
  async ensure(doc: DocumentSource, token: string, o: EnsureOptions): Promise<'downloaded' | 'skipped'> {
    const key = doc.sha256;
    let job = this.inflight.get(key);
    if (!job) {
      job = this.fetchContent(doc, token, o).finally(() => this.inflight.delete(key));
      this.inflight.set(key, job);
    }
    const status = await job;
    const prev = this.index.data.documents[doc.id];
    const same = prev?.sha256 === doc.sha256 && prev.meetingId === o.meetingId && prev.name === o.name;
    if (!same || prev?.users.includes(o.userId) !== true) {
      await this.index.update((d) => {
        // A new revision (other sha256) starts a new reader list: each reader is re-listed by the server.
        const users = same || prev?.sha256 === doc.sha256 ? (prev?.users ?? []) : [];
        d.documents[doc.id] = {
          sha256: doc.sha256,
          size: doc.size,
          meetingId: o.meetingId,
          name: o.name,
          users: users.includes(o.userId) ? users : [...users, o.userId],
        };
      });
      await this.sweep();
    }
    return status;
  }

  private async fetchContent(
    doc: DocumentSource,
    token: string,
    o: EnsureOptions,
  ): Promise<'downloaded' | 'skipped'> {
    if (await this.has(doc.sha256)) {
      return 'skipped';
    }
    const part = join(this.opts.dir, 'blobs', `${doc.sha256}.part`);
    const r = await downloadSealed({
      url: doc.url,
      token,
      partPath: part,
      key: this.key,
      label: doc.sha256,
      expectedSize: doc.size,
      recordSize: this.opts.recordSize,
      fetchImpl: this.opts.fetchImpl,
      signal: o.signal,
      onProgress: o.onProgress,
    });
    if (r.sha256 !== doc.sha256 || r.size !== doc.size) {
      // Tampered or corrupted in transit: never keep it, never resume from it.
      await rm(part, { force: true });
      throw new IpcError(
        'DOCUMENT_INTEGRITY',
        `downloaded content does not match the manifest (sha256 ${r.sha256.slice(0, 12)}…)`,
      );
    }
    await rename(part, this.blobPath(doc.sha256));
    return 'downloaded';
  }

  /** Decrypts cached content; verifies it is authentic and still hashes to its name. */
  async read(sha256: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await readFile(this.blobPath(sha256));
    } catch {
      throw new IpcError('NOT_CACHED', 'this document is not available offline');
    }
    let plain: Buffer;
    try {
      plain = openSealed(this.key, sha256, data);
    } catch (err) {
      if (err instanceof SealedFileError) {
        throw new IpcError('DOCUMENT_INTEGRITY', 'the offline copy is damaged or was modified; sync again');
      }
      throw err;
    }
    if (createHash('sha256').update(plain).digest('hex') !== sha256) {
      throw new IpcError('DOCUMENT_INTEGRITY', 'the offline copy is damaged or was modified; sync again');
    }
    return plain;
  }

  /** Reads by document id for one user — works with the network off. */
  async readDocument(documentId: string, userId: string): Promise<Buffer> {
    const entry = this.index.readable(documentId, userId);
    if (!entry) {
      throw new IpcError('NOT_CACHED', 'this document is not available offline');
    }
    return this.read(entry.sha256);
  }

  /** Forgets documents and deletes content no remaining document refers to. */
  async purgeDocuments(documentIds: readonly string[]): Promise<number> {
    const gone = documentIds.filter((id) => this.index.data.documents[id]);
    if (gone.length > 0) {
      await this.index.update((d) => {
        for (const id of gone) {
          delete d.documents[id];
        }
      });
    }
    await this.sweep();
    return gone.length;
  }

  /**
   * The server no longer lists these documents for `userId` (access withdrawn): that user loses them;
   * a document nobody on this device may read any more is forgotten and its content deleted.
   */
  async withdraw(documentIds: readonly string[], userId: string): Promise<number> {
    const gone = documentIds.filter((id) => this.index.data.documents[id]?.users.includes(userId));
    if (gone.length > 0) {
      await this.index.update((d) => {
        for (const id of gone) {
          const doc = d.documents[id];
          if (!doc) {
            continue;
          }
          doc.users = doc.users.filter((u) => u !== userId);
          if (doc.users.length === 0) {
            delete d.documents[id];
          }
        }
      });
    }
    await this.sweep();
    return gone.length;
  }

  /** Removes finished blobs no document refers to (parts are kept: they may be resumed). */
  async sweep(): Promise<void> {
    const keep = this.index.referencedShas();
    for (const f of await readdir(join(this.opts.dir, 'blobs'))) {
      const m = /^([0-9a-f]{64})\.enc$/.exec(f);
      if (m?.[1] && !keep.has(m[1]) && !this.inflight.has(m[1])) {
        await rm(join(this.opts.dir, 'blobs', f), { force: true });
      }
    }
  }
}
