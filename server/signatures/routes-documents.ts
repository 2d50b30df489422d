import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { signedRevisions } from '../db/schema';
import type { StagedBlob } from '../documents/blob-store';
import { readableDocument } from '../documents/service';
import { AppError, badRequest, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { IdParams } from '../../shared/api/common';
import { acceptSignedRevision, toRevision } from './revision-accept';
import { verifyCached } from './verify-cache';

/**
 * Verification and signed revisions of meeting documents ("the server prepares the
 * document, receives the signed revision and records it"). Signing itself happens where the key
 * lives (desktop vault, CLI); the server only accepts a revision that extends the current bytes by an
 * incremental update whose every signature is intact and whose new signatures are trusted.
 */
export function registerSignedDocumentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.post('/api/documents/:id/verify', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { doc } = await readableDocument(db, id, user);
    return verifyCached(ctx, doc.sha256);
  });

  app.get('/api/documents/:id/signed-revisions', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    await readableDocument(db, id, user);
    const rows = await db.select().from(signedRevisions).where(eq(signedRevisions.documentId, id)).orderBy(signedRevisions.seq);
    return { revisions: rows.map(toRevision) };
  });

  app.post('/api/documents/:id/signed-revisions', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { doc, access } = await readableDocument(db, id, user);
    // Signers of council documents: the chair, the secretary (organization seal) and administrators.
    if (!access.isAdmin && access.role !== 'chair' && access.role !== 'secretary') {
      throw forbidden('Only the meeting chair or secretary can record a signed revision');
    }
    if (!req.isMultipart()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the signed PDF as multipart/form-data with a "file" part');
    }
    let staged: StagedBlob | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type !== 'file' || part.fieldname !== 'file' || staged) {
          if (part.type === 'file') {
            part.file.resume();
          }
          throw badRequest('Send exactly one file, in the part named "file"');
        }
        staged = await ctx.blobs.stage(part.file);
      }
      if (!staged) {
        throw badRequest('Missing the "file" part');
      }
      const current = await readFile(ctx.blobs.pathOf(doc.sha256));
      const next = await readFile(staged.tmpPath);
      const pending = staged;
      const { revision, report } = await acceptSignedRevision(ctx, { doc, user, role: access.role, current, next, store: () => ctx.blobs.commit(pending) });
      staged = undefined;
      return await reply.status(201).send({ revision, report });
    } finally {
      if (staged) {
        await ctx.blobs.discard(staged);
      }
    }
  });
}

