import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/log';
import { blobs, documents } from '../db/schema';
import { AppError, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { canReadDocument, meetingAccess } from '../meetings/access';
import { toDocumentMeta } from '../documents/service';
import { IdParams } from '../../shared/api/common';
import { GenerateMinutesRequest } from '../../shared/signatures/minutes';
import { loadMinutesData } from './data';
import { renderMinutesPdf } from './pdf';
import { listMinutes } from './registry';

/**
 * POST /api/meetings/:id/minutes — the server writes the minutes of a closed meeting from the database
 * and stores them as a meeting document; the chair and then the secretary sign it in the app (remote
 * signing routes, routes-signing.ts) or with the CLI (signed revisions route), in the returned boxes.
 * GET lists the meeting's minutes with the state of each box.
 */
export function registerMinutesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:id/minutes', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(ctx.db, id, user);
    // Minutes are documents: whoever may not read the document (observers: internal minutes) does not
    // learn its name, id or signing state either.
    return { minutes: (await listMinutes(ctx.db, id)).filter((m) => canReadDocument(access, m.document.confidentiality)) };
  });

  app.post('/api/meetings/:id/minutes', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(GenerateMinutesRequest, req.body ?? {}, 'body');
    const access = await meetingAccess(ctx.db, id, user);
    if (!access.canManage && access.role !== 'chair') {
      throw forbidden('Only the chair, the secretary or an administrator can produce the minutes');
    }
    // Minutes record a session that is over: results of open votes or a running agenda would change.
    if (access.meeting.status !== 'closed') {
      throw new AppError(409, 'INVALID_STATE', 'The minutes can be produced once the meeting is closed');
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
      // The audit entry is also the registry of minutes documents and their boxes (registry.ts).
      await appendAudit(tx, {
        actorId: user.id,
        meetingId: id,
        action: 'minutes.generated',
        data: { documentId: row.id, sha256: stored.sha256, lang: body.lang, slots: slots.map((s) => ({ fieldName: s.fieldName, page: s.page, rect: s.rect })) },
      });
      return row;
    });
    ctx.documentNotices.documentChanged({ meetingId: id, documentId: doc.id, change: 'added', confidentiality: doc.confidentiality });
    return reply.status(201).send({ document: toDocumentMeta(doc), slots });
  });
}
