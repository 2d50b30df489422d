import type { Executor } from '../db/client';
import { blobs, documents } from '../db/schema';
import type { StoredBlob } from './blob-store';
import type { DocumentRow } from './service';

/** What a document row needs of a blob already written to the store. */
export type BlobRef = Pick<StoredBlob, 'sha256' | 'size'>;

/** The longest document name kept; generated names carry a meeting title of any length. */
const MAX_NAME = 300;

/**
 * Records a blob the store already holds. Blobs are content-addressed and shared, so the row may
 * exist already (the same bytes stored before): the first row stands.
 */
export async function recordBlob(tx: Executor, stored: BlobRef): Promise<void> {
  await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
}

export interface GeneratedDocument {
  readonly meetingId: string;
  readonly name: string;
  readonly pages: number;
  readonly confidentiality: DocumentRow['confidentiality'];
  readonly uploadedBy: string;
}

/**
 * Records a PDF the server wrote (minutes, conclusion notice, invitation) as a meeting document,
 * inside the caller's transaction so the caller's own record and audit entry land with it. The
 * bytes are put in the blob store before the transaction: a file write does not belong under the
 * meeting's lock, and an unreferenced blob left by a rollback does no harm.
 */
export async function recordGeneratedDocument(tx: Executor, stored: BlobRef, doc: Readonly<GeneratedDocument>): Promise<DocumentRow> {
  await recordBlob(tx, stored);
  const [row] = await tx
    .insert(documents)
    .values({ ...doc, name: doc.name.slice(0, MAX_NAME), sha256: stored.sha256, size: stored.size })
    .returning();
  if (!row) {
    throw new Error('insert returned nothing');
  }
  return row;
}
