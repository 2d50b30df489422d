import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { minutes, signedRevisions } from '../db/schema';
import type { MeetingAccess } from '../meetings/access';

/**
 * Draft minutes: a minutes document the chair has not signed yet (box ChuToa, signed first). Only the
 * chair, the secretary and admins see a draft — in the meeting detail, the package manifest, document
 * reads, the minutes list and `documents:changed` — so members never read or cache a text that may
 * still be replaced. Kept apart from registry.ts so the documents module can ask without an import cycle.
 */
export const CHAIR_FIELD = 'ChuToa';

/** Chair, secretary and admins see drafts. */
export function seesDraftMinutes(access: MeetingAccess): boolean {
  return access.isAdmin || access.role === 'chair' || access.role === 'secretary';
}

/** Ids of the meeting's draft minutes documents (revoked or not). */
export async function draftMinutesIds(db: Executor, meetingId: string): Promise<Set<string>> {
  const rows = await db.select({ documentId: minutes.documentId }).from(minutes).where(eq(minutes.meetingId, meetingId));
  if (rows.length === 0) {
    return new Set();
  }
  return unsignedByChair(db, rows.map((r) => r.documentId));
}

/** Which of these documents the chair has not signed yet (box ChuToa): drafts of any paper the chair signs. */
export async function unsignedByChair(db: Executor, documentIds: readonly string[]): Promise<Set<string>> {
  if (documentIds.length === 0) {
    return new Set();
  }
  const signed = await db
    .select({ documentId: signedRevisions.documentId })
    .from(signedRevisions)
    .where(and(inArray(signedRevisions.documentId, [...documentIds]), eq(signedRevisions.fieldName, CHAIR_FIELD)));
  const done = new Set(signed.map((s) => s.documentId));
  return new Set(documentIds.filter((id) => !done.has(id)));
}

/** Whether this document is minutes the chair has not signed yet. */
export async function isDraftMinutes(db: Executor, documentId: string): Promise<boolean> {
  const [rec] = await db.select({ id: minutes.id }).from(minutes).where(eq(minutes.documentId, documentId)).limit(1);
  if (!rec) {
    return false;
  }
  const [signed] = await db
    .select({ seq: signedRevisions.seq })
    .from(signedRevisions)
    .where(and(eq(signedRevisions.documentId, documentId), eq(signedRevisions.fieldName, CHAIR_FIELD)))
    .limit(1);
  return !signed;
}

/** The draft minutes ids this caller must not see (none for the chair, the secretary and admins). */
export async function hiddenDrafts(db: Executor, access: MeetingAccess): Promise<ReadonlySet<string>> {
  return seesDraftMinutes(access) ? new Set() : draftMinutesIds(db, access.meeting.id);
}
