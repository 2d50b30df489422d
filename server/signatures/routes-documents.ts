import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { and, desc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { blobs, documents, signedRevisions } from '../db/schema';
import type { StagedBlob } from '../documents/blob-store';
import { readableDocument } from '../documents/service';
import { AppError, badRequest, conflict, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { IdParams } from '../../shared/api/common';
import type { SignedRevision } from '../../shared/signatures/api';
import { verifyPdf } from './pdf-verify';
import { loadTrustStore } from './trust-store';

type RevisionRow = typeof signedRevisions.$inferSelect;

const toRevision = (r: RevisionRow): SignedRevision => ({
  id: r.id,
  seq: r.seq,
  sha256: r.sha256,
  prevSha256: r.prevSha256,
  size: r.size,
  signerSubject: r.signerSubject,
  fieldName: r.fieldName,
  uploadedBy: r.uploadedBy,
  createdAt: r.createdAt.toISOString(),
});

/**
 * Verification and signed revisions of meeting documents (issue #6: "the server prepares the
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
    const pdf = await readFile(ctx.blobs.pathOf(doc.sha256));
    return verifyPdf(pdf, { trust: await loadTrustStore(ctx.config.dataDir) });
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
      if (next.length <= current.length || !next.subarray(0, current.length).equals(current)) {
        throw badRequest('The signed PDF must be an incremental update of the current document revision');
      }
      const trust = await loadTrustStore(ctx.config.dataDir);
      const report = await verifyPdf(next, { trust }).catch(() => {
        throw new AppError(400, 'INVALID_SIGNATURE', 'The upload is not a readable PDF');
      });
      // Signatures whose byte range ends beyond the current revision are the ones this upload adds.
      const added = report.signatures.filter((s) => (s.signedLength ?? 0) > current.length);
      const broken = report.signatures.find((s) => !s.intact);
      if (broken) {
        throw new AppError(400, 'INVALID_SIGNATURE', `Signature "${broken.fieldName}" is not intact: ${broken.checks.filter((c) => c.status === 'failed').map((c) => c.detail).join('; ')}`);
      }
      const newest = report.signatures[report.signatures.length - 1];
      if (!newest || !newest.coversWholeDocument || added.length === 0) {
        throw new AppError(400, 'INVALID_SIGNATURE', 'The upload adds no signature covering the whole new revision');
      }
      const untrusted = added.find((s) => !s.trusted);
      if (untrusted) {
        throw new AppError(400, 'INVALID_SIGNATURE', `New signature "${untrusted.fieldName}" is not trusted: ${untrusted.checks.filter((c) => c.status === 'failed').map((c) => c.detail).join('; ')}`);
      }
      const stored = await ctx.blobs.commit(staged);
      staged = undefined;
      const row = await db.transaction(async (tx) => {
        const [fresh] = await tx.select({ sha256: documents.sha256 }).from(documents).where(eq(documents.id, id)).limit(1);
        if (fresh?.sha256 !== doc.sha256) {
          throw conflict('The document changed while you were signing: download the current revision and sign again');
        }
        const [last] = await tx.select({ seq: signedRevisions.seq }).from(signedRevisions).where(eq(signedRevisions.documentId, id)).orderBy(desc(signedRevisions.seq)).limit(1);
        await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
        const [rev] = await tx
          .insert(signedRevisions)
          .values({
            documentId: id,
            seq: (last?.seq ?? 0) + 1,
            sha256: stored.sha256,
            prevSha256: doc.sha256,
            size: stored.size,
            uploadedBy: user.id,
            signerSubject: newest.signerSubject ?? '',
            fieldName: newest.fieldName,
            report: JSON.stringify(report),
          })
          .returning();
        await tx.update(documents).set({ sha256: stored.sha256, size: stored.size }).where(and(eq(documents.id, id), eq(documents.sha256, doc.sha256)));
        await appendAudit(tx, {
          actorId: user.id,
          meetingId: doc.meetingId,
          action: 'document.signed',
          data: { documentId: id, sha256: stored.sha256, prevSha256: doc.sha256, field: newest.fieldName, signer: newest.signerSubject },
        });
        if (!rev) {
          throw new Error('insert returned nothing');
        }
        return rev;
      });
      return await reply.status(201).send({ revision: toRevision(row), report });
    } finally {
      if (staged) {
        await ctx.blobs.discard(staged);
      }
    }
  });
}

