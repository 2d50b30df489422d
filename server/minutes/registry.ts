import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { documents, minutes, signedRevisions } from '../db/schema';
import { toDocumentMeta } from '../documents/service';
import { MINUTES_SIGNERS, SignatureSlot, type MinutesEntry } from '../../shared/signatures/minutes';
import { CHAIR_FIELD } from './drafts';

/**
 * Which meeting documents are minutes, with their version and signature boxes: the `minutes` table,
 * written in the same transaction as the document (the `minutes.generated` audit entry is kept too).
 * A minutes document is a draft until the chair has signed it (box ChuToa): drafts are read by the
 * chair, the secretary and admins only, and may be replaced; a signed one is frozen.
 */
const Slots = z.array(SignatureSlot);

export interface MinutesRecord {
  readonly id: string;
  readonly meetingId: string;
  readonly documentId: string;
  readonly version: number;
  readonly lang: 'vi' | 'en';
  readonly slots: readonly SignatureSlot[];
  readonly generatedAt: Date;
}

type MinutesRow = typeof minutes.$inferSelect;

function toRecord(r: MinutesRow): MinutesRecord {
  const slots = Slots.safeParse(JSON.parse(r.slots));
  return { id: r.id, meetingId: r.meetingId, documentId: r.documentId, version: r.version, lang: r.lang, slots: slots.success ? slots.data : [], generatedAt: r.createdAt };
}

async function records(db: Executor, meetingId: string): Promise<MinutesRecord[]> {
  const rows = await db.select().from(minutes).where(eq(minutes.meetingId, meetingId)).orderBy(asc(minutes.createdAt), asc(minutes.version));
  return rows.map(toRecord);
}

export async function minutesRecord(db: Executor, meetingId: string, documentId: string): Promise<MinutesRecord | null> {
  const [row] = await db
    .select()
    .from(minutes)
    .where(and(eq(minutes.meetingId, meetingId), eq(minutes.documentId, documentId)))
    .limit(1);
  return row ? toRecord(row) : null;
}

/** Fields already signed on a document, in order, from its recorded signed revisions. */
export async function signedFields(db: Executor, documentId: string): Promise<{ fieldName: string; signerSubject: string; createdAt: Date }[]> {
  return db
    .select({ fieldName: signedRevisions.fieldName, signerSubject: signedRevisions.signerSubject, createdAt: signedRevisions.createdAt })
    .from(signedRevisions)
    .where(eq(signedRevisions.documentId, documentId))
    .orderBy(asc(signedRevisions.seq));
}

/** The meeting's live minutes documents (oldest first) with their version and the state of each signature box. */
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
    const draft = !signed.some((s) => s.fieldName === CHAIR_FIELD);
    out.push({ document: toDocumentMeta(doc), lang: r.lang, version: r.version, draft, generatedAt: r.generatedAt.toISOString(), slots, next, complete: next === null });
  }
  return out;
}
