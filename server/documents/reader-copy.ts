import { readFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import { blobs, documentCopies } from '../db/schema';
import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import type { AuthUser } from '../auth/sessions';
import type { MeetingAccess } from '../meetings/access';
import type { DocumentRow } from './service';
import { stampReaderCopy } from './watermark';

export interface ServedContent {
  readonly sha256: string;
  readonly size: number;
}

/**
 * Confidential content goes out only as the reader's own watermarked copy; the meeting's secretariat
 * (who uploaded it and answer for the archive) gets the original.
 */
export function needsReaderCopy(doc: Pick<DocumentRow, 'confidentiality'>, access: MeetingAccess): boolean {
  return doc.confidentiality === 'confidential' && !access.canManage;
}

const inFlight = new Map<string, Promise<ServedContent>>();

/**
 * What this reader gets for `doc`: the original, or their watermarked copy, made once per (document,
 * reader) and kept in the blob store, so its ETag, its Range offsets and the manifest's sha256/size
 * stay the same for every later request (docs/security.md "Confidential documents").
 */
export async function servedContent(ctx: AppContext, doc: DocumentRow, access: MeetingAccess, user: AuthUser): Promise<ServedContent> {
  if (!needsReaderCopy(doc, access)) {
    return { sha256: doc.sha256, size: doc.size };
  }
  const key = `${doc.id}:${user.id}`;
  const running = inFlight.get(key);
  if (running) {
    return running;
  }
  const p = readerCopy(ctx, doc, user).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

async function readerCopy(ctx: AppContext, doc: DocumentRow, user: AuthUser): Promise<ServedContent> {
  const where = and(eq(documentCopies.documentId, doc.id), eq(documentCopies.userId, user.id));
  const [have] = await ctx.db.select().from(documentCopies).where(where).limit(1);
  if (have && (await ctx.blobs.exists(have.sha256))) {
    return { sha256: have.sha256, size: have.size };
  }
  const stampedAt = have?.stampedAt ?? new Date();
  let bytes: Uint8Array;
  try {
    bytes = await stampReaderCopy(await readFile(ctx.blobs.pathOf(doc.sha256)), user, stampedAt);
  } catch (err) {
    ctx.log.error({ err, documentId: doc.id }, 'watermarking failed');
    // Fail closed: confidential bytes never go out without the reader's mark.
    throw new AppError(409, 'INVALID_STATE', 'This confidential document cannot be watermarked, so it cannot be served; ask the secretariat');
  }
  const stored = await ctx.blobs.put(Buffer.from(bytes));
  return ctx.db.transaction(async (tx) => {
    await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
    if (have) {
      // The row outlived its blob file (restored store): same stamp time, so the same bytes again.
      await tx.update(documentCopies).set({ sha256: stored.sha256, size: stored.size }).where(where);
      return { sha256: stored.sha256, size: stored.size };
    }
    // Another node may have made this reader's copy at the same moment: the first row wins, so every
    // node serves the same bytes (ours stays in the store, unreferenced).
    await tx.insert(documentCopies).values({ documentId: doc.id, userId: user.id, sha256: stored.sha256, size: stored.size, stampedAt }).onConflictDoNothing();
    const [row] = await tx.select().from(documentCopies).where(where).limit(1);
    if (!row) {
      throw new Error('document copy vanished inside its own transaction');
    }
    return { sha256: row.sha256, size: row.size };
  });
}
