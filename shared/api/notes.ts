import { z } from 'zod';
import { IsoDateTime } from './common';

/**
 * REST contracts for private page notes ("private notes per document page, kept and
 * synced"; docs/api.md "Private notes"). A note belongs to one user: no role reads another's notes.
 * Devices keep notes locally and sync them; conflicts resolve last-writer-wins by `updatedAt`.
 */

/** Longest note, in characters (also fits the desktop's local store). */
export const NOTE_MAX_CHARS = 10_000;
export const NOTE_MAX_PAGE = 100_000;

export const NotePage = z.coerce.number().int().min(1).max(NOTE_MAX_PAGE);
export const NoteParams = z.object({ id: z.uuid(), page: NotePage });

/** PUT /api/documents/:id/notes/:page */
export const PutNoteRequest = z.object({
  text: z.string().max(NOTE_MAX_CHARS).refine((s) => s.trim() !== '', 'a note cannot be empty; DELETE it instead'),
  /** When the user wrote it on their device; omitted = now. Later than the server's clock counts as now. */
  updatedAt: IsoDateTime.optional(),
});
export type PutNoteRequest = z.infer<typeof PutNoteRequest>;

/** DELETE /api/documents/:id/notes/:page[?updatedAt=…] */
export const DeleteNoteQuery = z.object({ updatedAt: IsoDateTime.optional() });

/** A live note. */
export const Note = z.object({ page: z.number().int(), text: z.string(), updatedAt: z.string() });
export type Note = z.infer<typeof Note>;

/** GET /api/documents/:id/notes — the caller's own live notes, by page. */
export const NoteList = z.object({ documentId: z.uuid(), notes: z.array(Note) });
export type NoteList = z.infer<typeof NoteList>;

/**
 * Answer of PUT and DELETE: what the server keeps for the page after last-writer-wins. When a newer
 * change from another device is already stored, this is that change (the client adopts it).
 */
export const NoteState = Note.extend({ deleted: z.boolean() });
export type NoteState = z.infer<typeof NoteState>;
