import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { auditLog, documents, signedRevisions } from '../db/schema';
import { toDocumentMeta } from '../documents/service';
import { MINUTES_SIGNERS, SignatureSlot, type MinutesEntry } from '../../shared/signatures/minutes';

/**
 * Which meeting documents are minutes, with their signature boxes. The `minutes.generated` audit entry
 * is the record (hash-chained, written in the same transaction as the document), so no extra table:
 * a document is minutes exactly when the audit log says the server generated it as minutes.
 */
const GeneratedData = z.object({
  documentId: z.uuid(),
  lang: z.enum(['vi', 'en']),
  slots: z.array(SignatureSlot).default([]),
});

export interface MinutesRecord {
  readonly documentId: string;
  readonly lang: 'vi' | 'en';
  readonly slots: readonly SignatureSlot[];
  readonly generatedAt: Date;
}

async function records(db: Executor, meetingId: string): Promise<MinutesRecord[]> {
  const rows = await db
    .select({ data: auditLog.data, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.meetingId, meetingId), eq(auditLog.action, 'minutes.generated')))
    .orderBy(asc(auditLog.seq));
  return rows.flatMap((r) => {
    const parsed = GeneratedData.safeParse(JSON.parse(r.data));
    return parsed.success ? [{ ...parsed.data, generatedAt: r.at }] : [];
  });
}

export async function minutesRecord(db: Executor, meetingId: string, documentId: string): Promise<MinutesRecord | null> {
  return (await records(db, meetingId)).find((r) => r.documentId === documentId) ?? null;
}

/** Fields already signed on a document, in order, from its recorded signed revisions. */
export async function signedFields(db: Executor, documentId: string): Promise<{ fieldName: string; signerSubject: string; createdAt: Date }[]> {
  return db
    .select({ fieldName: signedRevisions.fieldName, signerSubject: signedRevisions.signerSubject, createdAt: signedRevisions.createdAt })
    .from(signedRevisions)
    .where(eq(signedRevisions.documentId, documentId))
    .orderBy(asc(signedRevisions.seq));
}

/** The meeting's live minutes documents (newest last) with the state of each signature box. */
export async function listMinutes(db: Executor, meetingId: string): Promise<MinutesEntry[]> {
  const recs = await records(db, meetingId);
  if (recs.length === 0) {
    return [];
  }
  const docs = await db
    .select()
    .from(documents)
    .where(and(inArray(documents.id, recs.map((r) => r.documentId)), isNull(documents.revokedAt)));
  const out: MinutesEntry[] = [];
  for (const r of recs) {
    const doc = docs.find((d) => d.id === r.documentId);
    if (!doc) {
      continue;
    }
    const signed = await signedFields(db, doc.id);
    const slots = MINUTES_SIGNERS.flatMap(({ field, role }) => {
      const slot = r.slots.find((s) => s.fieldName === field);
      const rev = signed.find((s) => s.fieldName === field);
      return slot ? [{ ...slot, role, signedBy: rev?.signerSubject ?? null, signedAt: rev?.createdAt.toISOString() ?? null }] : [];
    });
    const next = MINUTES_SIGNERS.find((s) => !signed.some((x) => x.fieldName === s.field))?.field ?? null;
    out.push({ document: toDocumentMeta(doc), lang: r.lang, generatedAt: r.generatedAt.toISOString(), slots, next, complete: next === null });
  }
  return out;
}
