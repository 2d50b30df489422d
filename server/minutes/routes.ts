import type { FastifyInstance } from 'fastify';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { documents, minutes } from '../db/schema';
import { AppError, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { canReadDocument, meetingAccess } from '../meetings/access';
import { lockMeeting } from '../meetings/guards';
import { recordGeneratedDocument } from '../documents/generated';
import { toDocumentMeta } from '../documents/service';
import { IdParams } from '../../shared/api/common';
import { GenerateMinutesRequest } from '../../shared/signatures/minutes';
import { loadMinutesData } from './data';
import { renderMinutesPdf } from './pdf';
import { seesDraftMinutes, unsignedByChair } from './drafts';
import { planVersion } from './versions';
import { listMinutes } from './registry';

/**
 * POST /api/meetings/:id/minutes — the server writes the minutes of a closed meeting from the database
 * and stores them as a meeting document (a draft, seen by the staff only, replaced when generated
 * again); the chair and then the secretary sign it in the app (remote signing routes,
 * routes-signing.ts) or with the CLI (signed revisions route), in the returned boxes. Once the chair
 * signed, the version is frozen and generating again makes the next version.
 * GET lists the meeting's minutes with version, draft state and the state of each box.
 */
export function registerMinutesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:id/minutes', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(ctx.db, id, user);
    // Minutes are documents: whoever may not read the document (observers: internal minutes; members:
    // drafts the chair has not signed) does not learn its name, id or signing state either.
    const staff = seesDraftMinutes(access);
    return { minutes: (await listMinutes(ctx.db, id)).filter((m) => canReadDocument(access, m.document.confidentiality) && (staff || !m.draft)) };
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
    const made = await ctx.db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      // A draft of this language still unsigned by the chair is replaced (same version, old document
      // revoked); once the chair signed, the text is frozen and this is the next version.
      const versions = await tx
        .select({ documentId: minutes.documentId, version: minutes.version, revokedAt: documents.revokedAt })
        .from(minutes)
        .innerJoin(documents, eq(documents.id, minutes.documentId))
        .where(and(eq(minutes.meetingId, id), eq(minutes.lang, body.lang)))
        .orderBy(desc(minutes.version), desc(minutes.createdAt))
        .for('update', { of: documents });
      const { version, replaced } = planVersion(versions, await unsignedByChair(tx, versions.map((v) => v.documentId)));
      const now = new Date();
      if (replaced.length > 0) {
        await tx.update(documents).set({ revokedAt: now }).where(inArray(documents.id, replaced));
      }
      const row = await recordGeneratedDocument(tx, stored, {
        meetingId: id,
        name: `${body.lang === 'vi' ? 'Biên bản' : 'Minutes'}${version > 1 ? ` (${body.lang === 'vi' ? 'lần' : 'version'} ${version})` : ''} - ${data.title}.pdf`,
        pages,
        confidentiality: 'internal',
        uploadedBy: user.id,
      });
      const boxes = slots.map((s) => ({ fieldName: s.fieldName, page: s.page, rect: s.rect }));
      await tx.insert(minutes).values({ meetingId: id, documentId: row.id, version, lang: body.lang, slots: JSON.stringify(boxes), createdBy: user.id, createdAt: now });
      await appendAudit(tx, {
        actorId: user.id,
        meetingId: id,
        action: 'minutes.generated',
        data: { documentId: row.id, sha256: stored.sha256, lang: body.lang, version, replaced, slots: boxes },
      });
      return { doc: row, version, replaced };
    });
    // A draft is the staff's until the chair signs (server/minutes/drafts.ts): only they hear of it.
    for (const old of made.replaced) {
      ctx.documentNotices.documentChanged({ meetingId: id, documentId: old, change: 'revoked', confidentiality: made.doc.confidentiality, staffOnly: true });
    }
    ctx.documentNotices.documentChanged({ meetingId: id, documentId: made.doc.id, change: 'added', confidentiality: made.doc.confidentiality, staffOnly: true });
    return reply.status(201).send({ document: toDocumentMeta(made.doc), slots, version: made.version, replaced: made.replaced[0] ?? null });
  });
}
