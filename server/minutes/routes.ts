import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appendAudit } from '../audit/log';
import { blobs, documents } from '../db/schema';
import { forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from '../meetings/access';
import { toDocumentMeta } from '../documents/service';
import { IdParams } from '../../shared/api/common';
import { loadMinutesData } from './data';
import { renderMinutesPdf } from './pdf';

const MinutesRequest = z.strictObject({ lang: z.enum(['vi', 'en']).default('vi') });

/**
 * POST /api/meetings/:id/minutes — the server writes the minutes from the database and stores them as
 * a meeting document; the secretary and the chair then sign it in the app (signed revisions route),
 * using the returned signature slots (field name, page, rectangle).
 */
export function registerMinutesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/meetings/:id/minutes', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(MinutesRequest, req.body ?? {}, 'body');
    const access = await meetingAccess(ctx.db, id, user);
    if (!access.canManage && access.role !== 'chair') {
      throw forbidden('Only the chair, the secretary or an administrator can produce the minutes');
    }
    const data = await loadMinutesData(ctx.db, id, body.lang);
    const { pdf, slots } = await renderMinutesPdf(data, body.lang);
    const stored = await ctx.blobs.put(Buffer.from(pdf));
    const pages = Math.max(...slots.map((s) => s.page)) + 1;
    const doc = await ctx.db.transaction(async (tx) => {
      await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
      const [row] = await tx
        .insert(documents)
        .values({
          meetingId: id,
          name: `${body.lang === 'vi' ? 'Biên bản' : 'Minutes'} - ${data.title}.pdf`.slice(0, 300),
          sha256: stored.sha256,
          size: stored.size,
          pages,
          confidentiality: 'internal',
          uploadedBy: user.id,
        })
        .returning();
      if (!row) {
        throw new Error('insert returned nothing');
      }
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'minutes.generated', data: { documentId: row.id, sha256: stored.sha256, lang: body.lang } });
      return row;
    });
    return reply.status(201).send({ document: toDocumentMeta(doc), slots });
  });
}
