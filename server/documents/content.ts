import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { contentDisposition, etagMatches, parseRange } from './http-range';
import { readableDocument } from './service';
import { IdParams } from '../../shared/api/common';

/**
 * GET /api/documents/:id/content — the PDF bytes with validators, so clients re-download only what
 * changed (ETag = sha256, If-None-Match → 304) and readers fetch pages lazily (Range → 206).
 */
export function registerContentRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/documents/:id/content', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { doc } = await readableDocument(ctx.db, id, user);
    const size = await ctx.blobs.sizeOf(doc.sha256);
    if (size === undefined) {
      req.log.error({ documentId: doc.id, sha256: doc.sha256 }, 'blob file missing from the store');
      throw new AppError(500, 'INTERNAL', 'The document content is missing on the server');
    }
    const etag = `"${doc.sha256}"`;
    // Content never changes under an id (a new version is a new document), so validators are exact.
    void reply
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', contentDisposition(doc.name));

    if (etagMatches(req.headers['if-none-match'], etag)) {
      return reply.status(304).send();
    }
    const ifRange = req.headers['if-range'];
    const rangeHeader = ifRange !== undefined && ifRange !== etag ? undefined : req.headers.range;
    const range = parseRange(rangeHeader, size);
    switch (range.kind) {
      case 'full':
        return reply.status(200).type('application/pdf').header('content-length', size).send(ctx.blobs.read(doc.sha256));
      case 'partial':
        return reply
          .status(206)
          .type('application/pdf')
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', range.end - range.start + 1)
          .send(ctx.blobs.read(doc.sha256, { start: range.start, end: range.end }));
      case 'unsatisfiable':
        reply.removeHeader('content-disposition');
        return reply
          .status(416)
          .header('content-range', `bytes */${size}`)
          .send({ error: { code: 'RANGE_NOT_SATISFIABLE', message: range.reason } });
    }
  });
}
