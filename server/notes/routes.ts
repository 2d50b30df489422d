import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common';
import { DeleteNoteQuery, NoteParams, PutNoteRequest, type NoteList, type NoteState } from '../../shared/api/notes';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { assertPage, clampTime, listNotes, notableDocument, writeNote } from './service';

/**
 * Private page notes ("kept and synced"). Only the caller's own notes are ever read or
 * written: the user id comes from the session, never from the request. Notes are the member's working
 * papers, not a change of the meeting, so they are not written to the meeting's audit log (which would
 * also copy private text into a log the staff can read).
 */
export function registerNoteRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/documents/:id/notes', async (req): Promise<NoteList> => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    await notableDocument(db, id, user);
    return { documentId: id, notes: await listNotes(db, user.id, id) };
  });

  app.put('/api/documents/:id/notes/:page', { bodyLimit: 64 * 1024 }, async (req): Promise<NoteState> => {
    const user = requireUser(req);
    const { id, page } = parse(NoteParams, req.params, 'params');
    const body = parse(PutNoteRequest, req.body, 'body');
    const doc = await notableDocument(db, id, user);
    assertPage(doc, page);
    return writeNote(db, { userId: user.id, documentId: id, page }, { text: body.text, deleted: false, updatedAt: clampTime(body.updatedAt) });
  });

  app.delete('/api/documents/:id/notes/:page', async (req): Promise<NoteState> => {
    const user = requireUser(req);
    const { id, page } = parse(NoteParams, req.params, 'params');
    const query = parse(DeleteNoteQuery, req.query, 'query');
    const doc = await notableDocument(db, id, user);
    assertPage(doc, page);
    return writeNote(db, { userId: user.id, documentId: id, page }, { text: '', deleted: true, updatedAt: clampTime(query.updatedAt) });
  });
}
