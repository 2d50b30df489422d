import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { openSealed, sealWhole } from './sealed-file';

const IndexFile = z.object({
  version: z.literal(1),
  documents: z.record(
    z.uuid(),
    z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().nonnegative(),
      meetingId: z.uuid().nullable(),
      name: z.string().nullable(),
      /**
       * Users the server listed this document for (it came in a package manifest fetched with their
       * session). Only they may read the offline copy: people share devices, and confidential papers
       * are not for every member. Entries from before this field have no reader until the next sync.
       */
      users: z.array(z.uuid()).default([]),
    }),
  ),
  meetings: z.record(
    z.uuid(),
    z.object({
      /** When this device first saw the meeting closed; the retention period counts from here. */
      closedAt: z.string().nullable(),
      syncedAt: z.string(),
    }),
  ),
});
export type CacheIndexData = z.infer<typeof IndexFile>;
export type CachedDocument = CacheIndexData['documents'][string];

const LABEL = 'cache-index';

/**
 * Which document ids map to which cached content, per meeting (sealed: even document names and
 * meeting ids stay encrypted at rest). Writes are serialised and atomic (temp file + rename).
 */
export class CacheIndex {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly key: Buffer,
    readonly data: CacheIndexData,
  ) {}

  static async load(path: string, key: Buffer): Promise<CacheIndex> {
    let data: CacheIndexData = { version: 1, documents: {}, meetings: {} };
    try {
      const parsed = IndexFile.safeParse(
        JSON.parse(openSealed(key, LABEL, await readFile(path)).toString('utf8')),
      );
      if (parsed.success) {
        data = parsed.data;
      }
    } catch {
      // Missing or unreadable index: start empty; orphaned blobs are removed by the next sweep.
    }
    return new CacheIndex(path, key, data);
  }

  /** Applies `change` and persists; calls are serialised so concurrent syncs never lose an update. */
  update(change: (d: CacheIndexData) => void): Promise<void> {
    const next = this.chain.then(async () => {
      change(this.data);
      const tmp = `${this.path}.tmp`;
      await writeFile(tmp, sealWhole(this.key, LABEL, Buffer.from(JSON.stringify(this.data), 'utf8')), {
        mode: 0o600,
      });
      await rename(tmp, this.path);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Whether `userId` may read document `id` from this device. */
  readable(id: string, userId: string): CachedDocument | null {
    const d = this.data.documents[id];
    return d?.users.includes(userId) ? d : null;
  }

  referencedShas(): Set<string> {
    return new Set(Object.values(this.data.documents).map((d) => d.sha256));
  }
}
