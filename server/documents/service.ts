import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { documents } from '../db/schema';
import { forbidden, notFound } from '../errors';
import type { AuthUser } from '../auth/sessions';
import { canReadDocument, meetingAccess, type MeetingAccess } from '../meetings/access';
import type { DocumentMeta } from '../../shared/api/documents';
import { hiddenDrafts, isDraftMinutes, seesDraftMinutes } from '../minutes/drafts';

export type DocumentRow = typeof documents.$inferSelect;

export function toDocumentMeta(row: DocumentRow): DocumentMeta {
  return {
    id: row.id,
    meetingId: row.meetingId,
    agendaItemId: row.agendaItemId,
    name: row.name,
    sha256: row.sha256,
    size: row.size,
    pages: row.pages,
    confidentiality: row.confidentiality,
    createdAt: row.createdAt.toISOString(),
  };
}

export function contentUrl(id: string): string {
  return `/api/documents/${id}/content`;
}

export interface DocumentAccess {
  readonly doc: DocumentRow;
  readonly access: MeetingAccess;
}

/**
 * A live (not revoked) document as seen by `user`. Anyone who may not read it — outsiders, and
 * observers for non-public documents — gets 404, never 403, so ids reveal nothing.
 */
export async function readableDocument(db: Executor, id: string, user: AuthUser): Promise<DocumentAccess> {
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), isNull(documents.revokedAt)))
    .limit(1);
  if (!doc) {
    throw notFound('Document');
  }
  let access: MeetingAccess;
  try {
    access = await meetingAccess(db, doc.meetingId, user);
  } catch {
    throw notFound('Document');
  }
  if (!canReadDocument(access, doc.confidentiality)) {
    throw notFound('Document');
  }
  // Draft minutes (not signed by the chair yet) are the staff's working copy (server/minutes/drafts.ts).
  if (!seesDraftMinutes(access) && (await isDraftMinutes(db, doc.id))) {
    throw notFound('Document');
  }
  return { doc, access };
}

/** Like readableDocument, then 403 unless the user manages the meeting (secretary or admin). */
export async function manageableDocument(db: Executor, id: string, user: AuthUser): Promise<DocumentAccess> {
  const found = await readableDocument(db, id, user);
  if (!found.access.canManage) {
    throw forbidden('Only the meeting secretary or an administrator can change documents');
  }
  return found;
}

/** Live documents of a meeting the caller may read (for the package manifest and meeting detail). */
export async function listReadableDocuments(db: Executor, access: MeetingAccess): Promise<DocumentRow[]> {
  const rows = await db
    .select()
    .from(documents)
    .where(and(eq(documents.meetingId, access.meeting.id), isNull(documents.revokedAt)))
    .orderBy(asc(documents.createdAt), asc(documents.id));
  const hidden = await hiddenDrafts(db, access);
  return rows.filter((r) => canReadDocument(access, r.confidentiality) && !hidden.has(r.id));
}
