import type { FastifyInstance } from 'fastify';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { conclusionNotices, councils, documents, meetingMembers, users } from '../db/schema';
import { AppError, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { canReadDocument, meetingAccess, type MeetingAccess } from '../meetings/access';
import { lockMeeting } from '../meetings/guards';
import { recordGeneratedDocument } from '../documents/generated';
import { toDocumentMeta } from '../documents/service';
import { IdParams } from '../../shared/api/common';
import { GenerateNoticeRequest, type ConclusionNoticeState } from '../../shared/api/conclusion-notice';
import { conclusionNoticeDeadline, conclusionNoticeOverdue } from '../../shared/domain/conclusion-deadline';
import { DEFAULT_TIME_ZONE, localDate } from '../../shared/time-zone';
import { nonWorkingDays } from '../councils/calendar';
import { listConclusions } from './conclusions';
import { isNoticeStaff, noticeSignedAt, noticeSlots, noticeVersions } from './notice';
import { registerNoticeDeliveryRoutes } from './notice-delivery';
import { unsignedByChair } from './drafts';
import { planVersion } from './versions';
import { renderNoticePdf } from './notice-pdf';

/** The deadline skips the council's own non-working days, not only weekends and fixed holidays. */
async function noticeDeadline(ctx: AppContext, access: MeetingAccess, closedAt: Date): Promise<string> {
  const off = await nonWorkingDays(ctx.db, access.meeting.councilId, localDate(closedAt, access.timeZone));
  return conclusionNoticeDeadline(closedAt, access.timeZone, off);
}

/** The notice's state as GET returns it; `now` is the clock the overdue flag is computed against. */
export async function noticeState(ctx: AppContext, access: MeetingAccess, now: Date): Promise<ConclusionNoticeState> {
  const m = access.meeting;
  const rows = await noticeVersions(ctx.db, m.id);
  const docs = rows.length > 0 ? await ctx.db.select().from(documents).where(inArray(documents.id, rows.map((r) => r.documentId))) : [];
  const versions = await Promise.all(
    rows.map(async (r) => {
      const doc = docs.find((d) => d.id === r.documentId);
      const signedAt = doc ? await noticeSignedAt(ctx.db, doc.id) : null;
      const readable = doc !== undefined && (isNoticeStaff(access) || canReadDocument(access, doc.confidentiality));
      return { row: r, doc: readable ? doc : undefined, signedAt };
    }),
  );
  const current = versions.at(-1);
  const row = current?.row;
  const doc = current?.doc;
  // The first signed version decides whether the deadline was met; a later one corrects it.
  const firstSigned = versions.find((v) => v.signedAt !== null)?.signedAt ?? null;
  const signedAt = current?.signedAt ?? null;
  const deadline = m.status === 'closed' && m.closedAt ? await noticeDeadline(ctx, access, m.closedAt) : null;
  return {
    document: doc ? toDocumentMeta(doc) : null,
    version: row?.version ?? null,
    lang: row?.lang ?? null,
    slots: row && doc ? noticeSlots(row) : [],
    deadline,
    issuedAt: row?.issuedAt.toISOString() ?? null,
    signed: signedAt !== null,
    signedAt: signedAt?.toISOString() ?? null,
    sentAt: row?.sentAt?.toISOString() ?? null,
    sentCount: row?.sentCount ?? 0,
    overdue: deadline !== null && conclusionNoticeOverdue(deadline, firstSigned, now, access.timeZone),
    versions: versions.flatMap((v) =>
      v.doc
        ? [{ version: v.row.version, document: toDocumentMeta(v.doc), signedAt: v.signedAt?.toISOString() ?? null, sentAt: v.row.sentAt?.toISOString() ?? null, superseded: v !== current }]
        : [],
    ),
  };
}

/**
 * The conclusion notice (thông báo kết luận) of a closed meeting: generated from the chair's
 * conclusions by the chair, the secretary or an admin, stored as an internal meeting document with
 * the chair's box, replaced while unsigned and frozen once the chair signed it (through the remote
 * signing routes, which find the box in server/minutes/notice.ts); generating again after the
 * signature makes the next version, the signed one kept (superseded). The current version is mailed
 * to every member.
 */
export function registerNoticeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:id/conclusion-notice', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(ctx.db, id, user);
    return noticeState(ctx, access, new Date());
  });

  app.post('/api/meetings/:id/conclusion-notice', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(GenerateNoticeRequest, req.body ?? {}, 'body');
    const access = await meetingAccess(ctx.db, id, user);
    if (!isNoticeStaff(access)) {
      throw forbidden('Only the chair, the secretary or an administrator can issue the conclusion notice');
    }
    const m = access.meeting;
    if (m.status !== 'closed') {
      throw new AppError(409, 'INVALID_STATE', 'The conclusion notice can be issued once the meeting is closed');
    }
    const conclusions = await listConclusions(ctx.db, id);
    if (conclusions.length === 0) {
      throw new AppError(409, 'INVALID_STATE', "No conclusion is recorded: record the chair's conclusion on at least one agenda item first");
    }
    const [council] = m.councilId ? await ctx.db.select({ name: councils.name, timeZone: councils.timeZone }).from(councils).where(eq(councils.id, m.councilId)).limit(1) : [];
    const [chair] = await ctx.db
      .select({ name: users.displayName })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.role, 'chair')))
      .limit(1);
    const { pdf, slots } = await renderNoticePdf(
      { title: m.title, council: council?.name ?? null, timeZone: council?.timeZone ?? DEFAULT_TIME_ZONE, heldAt: m.startedAt ?? m.startsAt, location: m.location || null, chair: chair?.name ?? null, conclusions },
      body.lang,
    );
    const stored = await ctx.blobs.put(Buffer.from(pdf));
    const pages = Math.max(...slots.map((s) => s.page)) + 1;
    const made = await ctx.db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      // The minutes' version rule (./versions.ts): a draft is replaced, a signed notice is kept and the
      // new one is its next version. The documents are locked like a signed revision's acceptance
      // (server/signatures/revision-accept.ts) locks them: a signature landing meanwhile is seen here,
      // never revoked with a draft.
      const versions = await tx
        .select({ documentId: conclusionNotices.documentId, version: conclusionNotices.version, revokedAt: documents.revokedAt })
        .from(conclusionNotices)
        .innerJoin(documents, eq(documents.id, conclusionNotices.documentId))
        .where(eq(conclusionNotices.meetingId, id))
        .orderBy(desc(conclusionNotices.version), desc(conclusionNotices.issuedAt))
        .for('update', { of: documents });
      const plan = planVersion(versions, await unsignedByChair(tx, versions.map((v) => v.documentId)));
      const now = new Date();
      if (plan.replaced.length > 0) {
        await tx.update(documents).set({ revokedAt: now }).where(inArray(documents.id, plan.replaced));
      }
      const vi = body.lang === 'vi';
      const row = await recordGeneratedDocument(tx, stored, {
        meetingId: id,
        name: `${vi ? 'Thông báo kết luận' : 'Conclusion notice'}${plan.version > 1 ? ` (${vi ? 'lần' : 'version'} ${plan.version})` : ''} - ${m.title}.pdf`,
        pages,
        confidentiality: 'internal',
        uploadedBy: user.id,
      });
      await tx
        .insert(conclusionNotices)
        .values({ meetingId: id, documentId: row.id, version: plan.version, lang: body.lang, slots: JSON.stringify(slots), issuedBy: user.id, issuedAt: now });
      const replaced = plan.replaced[0] ?? null;
      await appendAudit(tx, {
        actorId: user.id,
        meetingId: id,
        action: 'conclusion_notice.generated',
        data: { documentId: row.id, sha256: stored.sha256, lang: body.lang, version: plan.version, replaced, supersedes: plan.supersedes, conclusions: conclusions.length },
      });
      return { doc: row, replaced, version: plan.version, supersedes: plan.supersedes };
    });
    if (made.replaced) {
      ctx.documentNotices.documentChanged({ meetingId: id, documentId: made.replaced, change: 'revoked', confidentiality: made.doc.confidentiality });
    }
    ctx.documentNotices.documentChanged({ meetingId: id, documentId: made.doc.id, change: 'added', confidentiality: made.doc.confidentiality });
    return reply.status(201).send({ document: toDocumentMeta(made.doc), slots, version: made.version, replaced: made.replaced, supersedes: made.supersedes });
  });

  registerNoticeDeliveryRoutes(app, ctx);
}
