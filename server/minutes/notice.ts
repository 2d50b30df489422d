import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { conclusionNotices, documents, signedRevisions } from '../db/schema';
import { SignatureSlot } from '../../shared/signatures/minutes';
import { z } from 'zod';
import { NOTICE_CHAIR_FIELD } from './notice-pdf';
import type { MeetingAccess } from '../meetings/access';

/**
 * Which meeting document is the conclusion notice, and its chair's box: the `conclusion_notices` table
 * (one row per generated document, versioned like the minutes, written in the same transaction as the document). The remote signing routes
 * (server/signatures/routes-signing.ts) find the box here, as they find the minutes' boxes in registry.ts.
 */
export type NoticeRow = typeof conclusionNotices.$inferSelect;

const Slots = z.array(SignatureSlot);

export function noticeSlots(row: NoticeRow): SignatureSlot[] {
  const parsed = Slots.safeParse(JSON.parse(row.slots));
  return parsed.success ? parsed.data : [];
}

/** The meeting's live notice versions, oldest first (revoked drafts left out). */
export async function noticeVersions(db: Executor, meetingId: string): Promise<NoticeRow[]> {
  const rows = await db
    .select({ n: conclusionNotices })
    .from(conclusionNotices)
    .innerJoin(documents, eq(documents.id, conclusionNotices.documentId))
    .where(and(eq(conclusionNotices.meetingId, meetingId), isNull(documents.revokedAt)))
    .orderBy(asc(conclusionNotices.version), asc(conclusionNotices.issuedAt));
  return rows.map((r) => r.n);
}

/** The current notice: the latest live version (earlier signed versions are kept, superseded). */
export async function noticeOfMeeting(db: Executor, meetingId: string): Promise<NoticeRow | null> {
  return (await noticeVersions(db, meetingId)).at(-1) ?? null;
}

/** The notice record of this document, when it is a conclusion notice. */
export async function noticeRecord(db: Executor, documentId: string): Promise<NoticeRow | null> {
  const [row] = await db.select().from(conclusionNotices).where(eq(conclusionNotices.documentId, documentId)).limit(1);
  return row ?? null;
}

/** When the chair signed the notice's box, or null. */
export async function noticeSignedAt(db: Executor, documentId: string): Promise<Date | null> {
  const [rev] = await db
    .select({ createdAt: signedRevisions.createdAt })
    .from(signedRevisions)
    .where(and(eq(signedRevisions.documentId, documentId), eq(signedRevisions.fieldName, NOTICE_CHAIR_FIELD)))
    .orderBy(asc(signedRevisions.seq))
    .limit(1);
  return rev?.createdAt ?? null;
}

/** Who issues, sends and follows the notice: the meeting's chair and secretaries, admins. */
export function isNoticeStaff(access: MeetingAccess): boolean {
  return access.canManage || access.role === 'chair';
}
