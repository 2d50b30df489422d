import type { FastifyInstance } from 'fastify';
import { appendAuditAlone } from '../audit/log';
import { AppError } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { contentDisposition, etagMatches, parseRange } from './http-range';
import { servedContent } from './reader-copy';
import { readableDocument } from './service';
import { IdParams } from '../../shared/api/common';

/**
 * Headers of every document response: the bytes are a PDF for a reader, never a page of this origin.
 * `sandbox` gives a PDF that a browser renders anyway a unique origin without scripts; `attachment`
 * and nosniff (set for every response in app.ts) keep it from being sniffed or shown as HTML.
 */
export const DOCUMENT_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

/**
 * GET /api/documents/:id/content — the PDF bytes with validators, so clients re-download only what
 * changed (ETag = sha256 of the bytes this reader gets, If-None-Match → 304) and readers fetch pages
 * lazily (Range → 206). Confidential documents go out as the reader's watermarked copy (reader-copy.ts);
 * every internal or confidential download is audited with the reader and source IP.
 */
export function registerContentRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/documents/:id/content', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { doc, access } = await readableDocument(ctx.db, id, user);
    const served = await servedContent(ctx, doc, access, user);
    const size = await ctx.blobs.sizeOf(served.sha256);
    if (size === undefined) {
      req.log.error({ documentId: doc.id, sha256: served.sha256 }, 'blob file missing from the store');
      throw new AppError(500, 'INTERNAL', 'The document content is missing on the server');
    }
    const etag = `"${served.sha256}"`;
    // Content never changes under (id, reader) (a new version is a new document; a reader's copy is
    // made once), so validators are exact. Vary: the same URL gives each reader their own copy.
    void reply
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-cache')
      .header('vary', 'authorization')
      .header('content-security-policy', DOCUMENT_CSP)
      .header('content-disposition', contentDisposition(doc.name));

    if (etagMatches(req.headers['if-none-match'], etag)) {
      return reply.status(304).send();
    }
    const ifRange = req.headers['if-range'];
    const rangeHeader = ifRange !== undefined && ifRange !== etag ? undefined : req.headers.range;
    const range = parseRange(rangeHeader, size);
    if (range.kind !== 'unsatisfiable' && doc.confidentiality !== 'public') {
      // Committed before the first byte leaves: no unaudited read of internal or confidential content.
      await appendAuditAlone(ctx.db, {
        actorId: user.id,
        meetingId: doc.meetingId,
        action: 'document.downloaded',
        data: {
          documentId: doc.id,
          confidentiality: doc.confidentiality,
          sha256: served.sha256,
          ip: req.ip,
          ...(range.kind === 'partial' ? { range: `${range.start}-${range.end}` } : {}),
        },
      });
    }
    switch (range.kind) {
      case 'full':
        return reply.status(200).type('application/pdf').header('content-length', size).send(ctx.blobs.read(served.sha256));
      case 'partial':
        return reply
          .status(206)
          .type('application/pdf')
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', range.end - range.start + 1)
          .send(ctx.blobs.read(served.sha256, { start: range.start, end: range.end }));
      case 'unsatisfiable':
        reply.removeHeader('content-disposition');
        return reply
          .status(416)
          .header('content-range', `bytes */${size}`)
          .send({ error: { code: 'RANGE_NOT_SATISFIABLE', message: range.reason } });
    }
  });
}
