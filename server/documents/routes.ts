import type { FastifyInstance } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { agendaItems, documents } from '../db/schema';
import { badRequest, invalidState } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { canReadDocument, couldReadDocument, meetingAccess } from '../meetings/access';
import { hiddenDrafts, isDraftMinutes } from '../minutes/drafts';
import { servedContent } from './reader-copy';
import { registerContentRoute } from './content';
import { contentUrl, manageableDocument, readableDocument, toDocumentMeta, type DocumentAccess } from './service';
import { registerUploadRoute } from './upload';
import { IdParams } from '../../shared/api/common';
import { UpdateDocumentRequest, type PackageManifest } from '../../shared/api/documents';

function assertOpen(found: DocumentAccess): void {
  if (found.access.meeting.status === 'closed') {
    throw invalidState('The meeting is closed: its documents can no longer change');
  }
}

/** Documents module: upload, metadata, revoke, content and the meeting package. */
export function registerDocumentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;
  registerUploadRoute(app, ctx);
  registerContentRoute(app, ctx);

  app.get('/api/documents/:id', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    return toDocumentMeta((await readableDocument(db, id, user)).doc);
  });

  app.patch('/api/documents/:id', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(UpdateDocumentRequest, req.body ?? {}, 'body');
    const updated = await db.transaction(async (tx) => {
      const found = await manageableDocument(tx, id, user);
      assertOpen(found);
      if (body.agendaItemId) {
        const [item] = await tx
          .select({ id: agendaItems.id })
          .from(agendaItems)
          .where(and(eq(agendaItems.id, body.agendaItemId), eq(agendaItems.meetingId, found.doc.meetingId)))
          .limit(1);
        if (!item) {
          throw badRequest('Invalid agendaItemId: not an agenda item of this meeting');
        }
      }
      const [row] = await tx
        .update(documents)
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.confidentiality !== undefined ? { confidentiality: body.confidentiality } : {}),
          ...(body.agendaItemId !== undefined ? { agendaItemId: body.agendaItemId } : {}),
        })
        .where(eq(documents.id, id))
        .returning();
      if (!row) {
        throw new Error('document update returned nothing');
      }
      await appendAudit(tx, { actorId: user.id, meetingId: row.meetingId, action: 'document.updated', data: { documentId: id, ...body } });
      return { row, previous: found.doc.confidentiality };
    });
    ctx.documentNotices.documentChanged({
      meetingId: updated.row.meetingId,
      documentId: id,
      change: 'updated',
      confidentiality: updated.row.confidentiality,
      previousConfidentiality: updated.previous,
    });
    return toDocumentMeta(updated.row);
  });

  // Revoke rather than delete: clients holding a copy learn from manifest.revoked to purge it,
  // and the audit trail keeps what was distributed. Allowed at any time, closed meetings included:
  // withdrawing a leaked or mistaken paper must never wait.
  app.delete('/api/documents/:id', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const revoked = await db.transaction(async (tx) => {
      const found = await manageableDocument(tx, id, user);
      await tx.update(documents).set({ revokedAt: new Date() }).where(eq(documents.id, id));
      await appendAudit(tx, {
        actorId: user.id,
        meetingId: found.doc.meetingId,
        action: 'document.revoked',
        data: { documentId: id, sha256: found.doc.sha256 },
      });
      return { ...found.doc, draft: await isDraftMinutes(tx, id) };
    });
    ctx.documentNotices.documentChanged({ meetingId: revoked.meetingId, documentId: id, change: 'revoked', confidentiality: revoked.confidentiality, staffOnly: revoked.draft });
    return reply.status(204).send();
  });

  app.get('/api/meetings/:id/package', async (req): Promise<PackageManifest> => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(db, id, user);
    const now = new Date();
    const all = await db.select().from(documents).where(eq(documents.meetingId, id)).orderBy(asc(documents.createdAt), asc(documents.id));
    // Only documents the caller could once read, so an observer learns nothing about confidential papers.
    // Draft minutes are not listed at all to those who do not see them (server/minutes/drafts.ts).
    const hidden = await hiddenDrafts(db, access);
    const known = all.filter((d) => couldReadDocument(access, d.confidentiality) && !hidden.has(d.id));
    const live = known.filter((d) => !d.revokedAt && canReadDocument(access, d.confidentiality, now));
    // The manifest describes the bytes this reader gets: sha256 and size of their watermarked copy for
    // confidential documents (made here if needed), so the desktop's sha256 check holds.
    const entries = [];
    for (const d of live) {
      const served = await servedContent(ctx, d, access, user);
      entries.push({ ...toDocumentMeta(d), sha256: served.sha256, size: served.size, url: contentUrl(d.id) });
    }
    return {
      meetingId: id,
      generatedAt: now.toISOString(),
      documents: entries,
      // Revoked, and confidential ones whose grace period after the meeting ended: clients purge both.
      revoked: known.filter((d) => !live.includes(d)).map((d) => d.id),
    };
  });
}
