import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { agendaItems, blobs, documents } from '../db/schema';
import { AppError, badRequest, invalidState } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { requireManage } from '../meetings/access';
import type { StagedBlob, StoredBlob } from './blob-store';
import { countPdfPages, PDF_SNIFF_BYTES, pdfSniff } from './pdf-inspect';
import { toDocumentMeta } from './service';
import { IdParams } from '../../shared/api/common';
import { DocumentName, UploadFields } from '../../shared/api/documents';

/**
 * The display name from the client's file name: its last path segment, parsed like an explicit name
 * (DocumentName), so a file name with CR/LF or U+202E is refused with the reason, not stored.
 */
function displayName(filename: string | undefined): string | undefined {
  const base = (filename ?? '').split(/[\\/]/).pop() ?? '';
  if (base.trim().length === 0) {
    return undefined;
  }
  return parse(DocumentName, base.slice(0, 300), 'file name');
}

/**
 * POST /api/meetings/:id/documents — streamed multipart upload. The file goes
 * straight from the socket through the sha256 hasher into a temp file (never buffered whole); only
 * after it proved to be a readable PDF is it moved into the content-addressed store and recorded.
 */
export function registerUploadRoute(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.post('/api/meetings/:id/documents', async (req, reply) => {
    const user = requireUser(req);
    const { id: meetingId } = parse(IdParams, req.params, 'params');
    const access = await requireManage(db, meetingId, user);
    if (access.meeting.status === 'closed') {
      throw invalidState('The meeting is closed: its documents can no longer change');
    }
    if (!req.isMultipart()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the document as multipart/form-data with a "file" part');
    }

    const fields: Record<string, string> = {};
    let staged: StagedBlob | undefined;
    let filename: string | undefined;
    try {
      // parts() rather than file(): form fields may come before or after the file part.
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || staged) {
            part.file.resume();
            throw badRequest('Send exactly one file, in the part named "file"');
          }
          staged = await ctx.blobs.stage(part.file, { sniff: pdfSniff, sniffBytes: PDF_SNIFF_BYTES });
          filename = part.filename;
        } else if (typeof part.value === 'string' && !part.valueTruncated) {
          fields[part.fieldname] = part.value;
        } else {
          throw badRequest(`Invalid form field ${part.fieldname}`);
        }
      }
      if (!staged) {
        throw badRequest('Missing the "file" part');
      }
      const f = parse(UploadFields, fields, 'field');
      const name = f.name ?? displayName(filename) ?? 'document.pdf';
      if (f.agendaItemId) {
        const [item] = await db
          .select({ id: agendaItems.id })
          .from(agendaItems)
          .where(and(eq(agendaItems.id, f.agendaItemId), eq(agendaItems.meetingId, meetingId)))
          .limit(1);
        if (!item) {
          throw badRequest('Invalid agendaItemId: not an agenda item of this meeting');
        }
      }
      const pages = await countPdfPages(staged.tmpPath);
      const stored: StoredBlob = await ctx.blobs.commit(staged);
      staged = undefined;
      try {
        const doc = await db.transaction(async (tx) => {
          await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
          const [row] = await tx
            .insert(documents)
            .values({
              meetingId,
              agendaItemId: f.agendaItemId ?? null,
              name,
              sha256: stored.sha256,
              size: stored.size,
              pages,
              confidentiality: f.confidentiality,
              uploadedBy: user.id,
            })
            .returning();
          if (!row) {
            throw new Error('document insert returned nothing');
          }
          await appendAudit(tx, {
            actorId: user.id,
            meetingId,
            action: 'document.uploaded',
            data: { documentId: row.id, name, sha256: stored.sha256, size: stored.size, pages, confidentiality: row.confidentiality },
          });
          return row;
        });
        ctx.documentNotices.documentChanged({ meetingId, documentId: doc.id, change: 'added', confidentiality: doc.confidentiality });
        return await reply.status(201).send(toDocumentMeta(doc));
      } catch (err) {
        await dropOrphan(ctx, stored);
        throw err;
      }
    } catch (err) {
      // A client that hangs up mid-upload is not a server fault: no 500 in the log.
      if (req.raw.aborted || (err instanceof Error && 'code' in err && err.code === 'ECONNRESET')) {
        req.log.info('upload aborted by the client; nothing stored');
        throw new AppError(400, 'VALIDATION_ERROR', 'Upload aborted by the client');
      }
      throw err;
    } finally {
      if (staged) {
        await ctx.blobs.discard(staged);
      }
    }
  });
}

/** A blob we just placed whose row never committed would be an orphan file: remove it. */
async function dropOrphan(ctx: AppContext, stored: StoredBlob): Promise<void> {
  if (!stored.created) {
    return;
  }
  const [row] = await ctx.db.select({ s: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, stored.sha256)).limit(1);
  if (!row) {
    await ctx.blobs.remove(stored.sha256);
  }
}
