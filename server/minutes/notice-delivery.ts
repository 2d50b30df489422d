import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { Executor } from '../db/client';
import { conclusionNoticeDeliveries, conclusionNotices, documents, meetingMembers, users } from '../db/schema';
import { AppError, forbidden } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from '../meetings/access';
import { IdParams } from '../../shared/api/common';
import { SendNoticeRequest, type NoticeDeliveryList, type SendNoticeResponse } from '../../shared/api/conclusion-notice';
import { isNoticeStaff, noticeSignedAt, noticeVersions } from './notice';

/**
 * Mailing the conclusion notice and the record of it: each member's last attempt on the current
 * version (address, time, whether the SMTP server accepted it) in `conclusion_notice_deliveries`, so
 * the secretary sees who lacks it and resends to those only (`{only: "failed"}`).
 */

async function deliveries(db: Executor, documentId: string): Promise<NoticeDeliveryList['deliveries']> {
  const rows = await db
    .select({
      userId: conclusionNoticeDeliveries.userId,
      displayName: users.displayName,
      email: conclusionNoticeDeliveries.email,
      attemptedAt: conclusionNoticeDeliveries.attemptedAt,
      accepted: conclusionNoticeDeliveries.accepted,
      error: conclusionNoticeDeliveries.error,
      attempts: conclusionNoticeDeliveries.attempts,
    })
    .from(conclusionNoticeDeliveries)
    .innerJoin(users, eq(users.id, conclusionNoticeDeliveries.userId))
    .where(eq(conclusionNoticeDeliveries.documentId, documentId))
    .orderBy(asc(users.displayName), asc(conclusionNoticeDeliveries.userId));
  return rows.map((r) => ({ ...r, attemptedAt: r.attemptedAt.toISOString() }));
}

export function registerNoticeDeliveryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:id/conclusion-notice/deliveries', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const access = await meetingAccess(ctx.db, id, user);
    if (!isNoticeStaff(access)) {
      throw forbidden('Only the chair, the secretary or an administrator can see to whom the conclusion notice was sent');
    }
    const row = (await noticeVersions(ctx.db, id)).at(-1);
    const out: NoticeDeliveryList = { documentId: row?.documentId ?? null, deliveries: row ? await deliveries(ctx.db, row.documentId) : [] };
    return out;
  });

  app.post('/api/meetings/:id/conclusion-notice/send', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(SendNoticeRequest, req.body ?? {}, 'body');
    const access = await meetingAccess(ctx.db, id, user);
    if (!isNoticeStaff(access)) {
      throw forbidden('Only the chair, the secretary or an administrator can send the conclusion notice');
    }
    const row = (await noticeVersions(ctx.db, id)).at(-1);
    const [doc] = row ? await ctx.db.select().from(documents).where(eq(documents.id, row.documentId)).limit(1) : [];
    if (!row || !doc || !(await noticeSignedAt(ctx.db, doc.id))) {
      throw new AppError(409, 'INVALID_STATE', 'The conclusion notice can be sent once the chair has signed it');
    }
    const members = await ctx.db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, disabled: users.disabled })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(eq(meetingMembers.meetingId, id));
    let targets = members.filter((x) => !x.disabled);
    if (body.only === 'failed') {
      const failedBefore = new Set(
        (await ctx.db
          .select({ userId: conclusionNoticeDeliveries.userId })
          .from(conclusionNoticeDeliveries)
          .where(and(eq(conclusionNoticeDeliveries.documentId, doc.id), eq(conclusionNoticeDeliveries.accepted, false)))).map((d) => d.userId),
      );
      targets = targets.filter((m) => failedBefore.has(m.userId));
      if (targets.length === 0) {
        throw new AppError(409, 'INVALID_STATE', 'No failed delivery to resend: every attempt on this notice was accepted');
      }
    }
    // The document now points at the signed revision's blob.
    const content = await readFile(ctx.blobs.pathOf(doc.sha256));
    const vi = row.lang === 'vi';
    const subject = `${vi ? 'Thông báo kết luận' : 'Conclusion notice'}: ${access.meeting.title}`;
    let sent = 0;
    let failed = 0;
    let noEmail = 0;
    for (const mem of targets) {
      if (!mem.email) {
        noEmail += 1;
        continue;
      }
      const text = vi
        ? `Kính gửi ${mem.displayName},\n\nVăn phòng gửi kèm Thông báo kết luận của ${access.meeting.title}, đã được chủ tọa ký số.\n`
        : `Dear ${mem.displayName},\n\nAttached is the conclusion notice of ${access.meeting.title}, digitally signed by the chair.\n`;
      let accepted = false;
      let error: string | null;
      try {
        const r = await ctx.mailer.send(mem.email, subject, text, undefined, [{ filename: vi ? 'thong-bao-ket-luan.pdf' : 'conclusion-notice.pdf', content, contentType: 'application/pdf' }]);
        // Without SMTP_URL the mail is only logged: nobody received it, so it counts as not delivered.
        accepted = r.delivered;
        error = r.delivered ? null : 'not sent: no SMTP server is configured (SMTP_URL)';
      } catch (e) {
        ctx.log.warn({ err: e, userId: mem.userId }, 'conclusion notice mail failed');
        error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      }
      if (accepted) {
        sent += 1;
      } else {
        failed += 1;
      }
      // Recorded per attempt, right after it: a send cut short still shows who was reached.
      const attemptedAt = new Date();
      await ctx.db
        .insert(conclusionNoticeDeliveries)
        .values({ documentId: doc.id, userId: mem.userId, email: mem.email, attemptedAt, accepted, error })
        .onConflictDoUpdate({
          target: [conclusionNoticeDeliveries.documentId, conclusionNoticeDeliveries.userId],
          set: { email: mem.email, attemptedAt, accepted, error, attempts: sql`${conclusionNoticeDeliveries.attempts} + 1` },
        });
    }
    const sentAt = new Date();
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(conclusionNotices)
        .set({ sentAt, sentCount: sql`(SELECT count(*) FROM ${conclusionNoticeDeliveries} WHERE ${conclusionNoticeDeliveries.documentId} = ${doc.id} AND ${conclusionNoticeDeliveries.accepted})` })
        .where(eq(conclusionNotices.id, row.id));
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'conclusion_notice.sent', data: { documentId: doc.id, sha256: doc.sha256, only: body.only, sent, failed, noEmail } });
    });
    const out: SendNoticeResponse = { sentAt: sentAt.toISOString(), sent, failed, noEmail };
    return out;
  });
}
