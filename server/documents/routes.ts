import type { FastifyInstance } from 'fastify';
import { and, eq, isNotNull } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { agendaItems, documents } from '../db/schema';
import { badRequest, invalidState } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { canReadDocument, meetingAccess } from '../meetings/access';
import { registerContentRoute } from './content';
import { contentUrl, listReadableDocuments, manageableDocument, readableDocument, toDocumentMeta, type DocumentAccess } from './service';
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
  // and the audit trail keeps what was distributed.
  app.delete('/api/documents/:id', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const revoked = await db.transaction(async (tx) => {
      const found = await manageableDocument(tx, id, user);
      assertOpen(found);
      await tx.update(documents).set({ revokedAt: new Date() }).where(eq(documents.id, id));
      await appendAudit(tx, {
        actorId: user.id,
        meetingId: found.doc.meetingId,
        action: 'document.revoked',
        data: { documentId: id, sha256: found.doc.sha256 },
      });
      return found.doc;
    });
    ctx.documentNotices.documentChanged({ meetingId: revoked.meetingId, documentId: id, change: 'revoked', confidentiality: revoked.confidentiality });
    return reply.status(204).send();
  });

  app.get('/api/meetings/:id/package', async (req): Promise<PackageManifest> => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(db, id, user);
    const live = await listReadableDocuments(db, access);
    const revoked = await db
      .select({ id: documents.id, confidentiality: documents.confidentiality })
      .from(documents)
      .where(and(eq(documents.meetingId, id), isNotNull(documents.revokedAt)));
    return {
      meetingId: id,
      generatedAt: new Date().toISOString(),
      documents: live.map((d) => ({ ...toDocumentMeta(d), url: contentUrl(d.id) })),
      // Only ids the caller could once read: an observer learns nothing about confidential papers.
      revoked: revoked.filter((r) => canReadDocument(access, r.confidentiality)).map((r) => r.id),
    };
  });
}
