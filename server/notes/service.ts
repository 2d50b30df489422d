import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { notes } from '../db/schema';
import { badRequest, forbidden } from '../errors';
import type { AuthUser } from '../auth/sessions';
import { readableDocument, type DocumentRow } from '../documents/service';
import type { Note, NoteState } from '../../shared/api/notes';

type NoteRow = typeof notes.$inferSelect;

/**
 * The document as seen by a user who may keep notes on it: readers of the document (others get 404,
 * as on every document route) who are members of its meeting (a non-member admin gets 403: notes are
 * a member's own working papers).
 */
export async function notableDocument(db: Executor, documentId: string, user: AuthUser): Promise<DocumentRow> {
  const { doc, access } = await readableDocument(db, documentId, user);
  if (!access.role) {
    throw forbidden('Only members of the meeting keep notes on its documents');
  }
  return doc;
}

export function assertPage(doc: DocumentRow, page: number): void {
  if (page > doc.pages) {
    throw badRequest(`Invalid page: the document has ${doc.pages} pages`);
  }
}

/** A device clock ahead of the server's must not make its edits win forever: clamp to now. */
export function clampTime(iso: string | undefined, now = new Date()): Date {
  if (!iso) {
    return now;
  }
  const t = new Date(iso);
  return t > now ? now : t;
}

function toState(r: NoteRow): NoteState {
  return { page: r.page, text: r.deleted ? '' : r.text, updatedAt: r.updatedAt.toISOString(), deleted: r.deleted };
}

/** The user's live notes of a document. Always filtered by user id: privacy does not depend on the caller. */
export async function listNotes(db: Executor, userId: string, documentId: string): Promise<Note[]> {
  const rows = await db
    .select()
    .from(notes)
    .where(and(eq(notes.userId, userId), eq(notes.documentId, documentId), eq(notes.deleted, false)))
    .orderBy(asc(notes.page));
  return rows.map((r) => ({ page: r.page, text: r.text, updatedAt: r.updatedAt.toISOString() }));
}

/**
 * Writes a page note (or its deletion) last-writer-wins in one statement: the row changes only when the
 * incoming updatedAt is newer than the stored one, so retries and late pushes from an offline device
 * never overwrite a newer edit. Answers what is stored afterwards.
 */
export async function writeNote(
  db: Executor,
  key: Readonly<{ userId: string; documentId: string; page: number }>,
  change: Readonly<{ text: string; deleted: boolean; updatedAt: Date }>,
): Promise<NoteState> {
  const [written] = await db
    .insert(notes)
    .values({ ...key, ...change })
    .onConflictDoUpdate({
      target: [notes.userId, notes.documentId, notes.page],
      set: { text: sql`excluded.text`, deleted: sql`excluded.deleted`, updatedAt: sql`excluded.updated_at` },
      setWhere: lt(notes.updatedAt, sql`excluded.updated_at`),
    })
    .returning();
  if (written) {
    return toState(written);
  }
  const [kept] = await db
    .select()
    .from(notes)
    .where(and(eq(notes.userId, key.userId), eq(notes.documentId, key.documentId), eq(notes.page, key.page)))
    .limit(1);
  if (!kept) {
    throw new Error('note vanished after a conflicting write');
  }
  return toState(kept);
}
