import { asc, desc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { AuthUser } from '../auth/sessions';
import { invitationDeliveries, meetingInvitations, meetingMembers, users } from '../db/schema';
import { recordGeneratedDocument } from '../documents/generated';
import { invalidState } from '../errors';
import type { AppContext } from '../http/context';
import { signLinkToken } from '../mail/link-token';
import { requireManage } from '../meetings/access';
import { checkNotice } from '../../shared/domain/notice-period';
import type { DeliveryStatus, Invitation, InvitationsView, SendInvitationsRequest, SendInvitationsResponse, Warning } from '../../shared/api/invitations';
import { sealPdf } from './org-seal';
import { loadInvitationData, renderInvitationPdf } from './pdf';
import { invitationMail } from './mail-text';

type Sent = Required<Pick<SendInvitationsRequest, 'extraordinary' | 'lang'>>;

export async function listInvitations(ctx: AppContext, meetingId: string, user: AuthUser): Promise<InvitationsView> {
  const access = await requireManage(ctx.db, meetingId, user);
  const rows = await ctx.db.select().from(meetingInvitations).where(eq(meetingInvitations.meetingId, meetingId)).orderBy(desc(meetingInvitations.sentAt));
  const out: Invitation[] = [];
  for (const r of rows) {
    out.push(await toInvitation(ctx, r));
  }
  const n = checkNotice(new Date(), access.meeting.startsAt, false);
  return { notice: n, invitations: out };
}

async function toInvitation(ctx: AppContext, r: typeof meetingInvitations.$inferSelect): Promise<Invitation> {
  const deliveries = await ctx.db
    .select({ userId: invitationDeliveries.userId, displayName: users.displayName, email: invitationDeliveries.email, status: invitationDeliveries.status, error: invitationDeliveries.error })
    .from(invitationDeliveries)
    .innerJoin(users, eq(users.id, invitationDeliveries.userId))
    .where(eq(invitationDeliveries.invitationId, r.id))
    .orderBy(asc(users.displayName));
  return {
    id: r.id,
    meetingId: r.meetingId,
    documentId: r.documentId,
    sentAt: r.sentAt.toISOString(),
    workingDays: r.workingDays,
    shortNotice: r.shortNotice,
    extraordinary: r.extraordinary,
    signed: r.signed,
    deliveries,
  };
}

/**
 * Renders the invitation, seals it with the organisation signature, stores it as a public meeting
 * document (one transaction with its audit entry), then emails every member their own RSVP link.
 * A short notice is a warning in the answer, never a refusal: the law lets the chair call a meeting
 * at short notice, the secretary must only know it.
 */
export async function sendInvitations(ctx: AppContext, meetingId: string, actor: AuthUser, req: Sent): Promise<SendInvitationsResponse> {
  const access = await requireManage(ctx.db, meetingId, actor);
  const meeting = access.meeting;
  if (meeting.status !== 'published') {
    throw invalidState('Invitations are sent for a published meeting that has not started: publish the meeting first');
  }
  const now = new Date();
  if (meeting.startsAt.getTime() <= now.getTime()) {
    throw invalidState('The meeting start time has passed: change the start time before inviting');
  }
  const notice = checkNotice(now, meeting.startsAt, req.extraordinary);
  const meetingUrl = `${ctx.publicUrl()}/meetings/${meetingId}`;
  const data = await loadInvitationData(ctx.db, meetingId);
  const { pdf, box } = await renderInvitationPdf(data, req.lang, meetingUrl);
  const sealed = await sealPdf(ctx.config.dataDir, pdf, box, req.lang, req.lang === 'vi' ? 'Giấy mời họp' : 'Meeting invitation');
  const finalPdf = Buffer.from(sealed ?? pdf);
  const stored = await ctx.blobs.put(finalPdf);
  const name = `${req.lang === 'vi' ? 'Giấy mời' : 'Invitation'} - ${meeting.title}.pdf`;
  // The signature box is the last thing on the last page.
  const pageCount = box.page + 1;
  const invitation = await ctx.db.transaction(async (tx) => {
    const doc = await recordGeneratedDocument(tx, stored, { meetingId, name, pages: pageCount, confidentiality: 'public', uploadedBy: actor.id });
    const [inv] = await tx
      .insert(meetingInvitations)
      .values({ meetingId, documentId: doc.id, sentBy: actor.id, workingDays: notice.workingDays, shortNotice: notice.short, extraordinary: req.extraordinary, signed: sealed !== null })
      .returning();
    if (!inv) {
      throw new Error('insert returned nothing');
    }
    await appendAudit(tx, {
      actorId: actor.id,
      meetingId,
      action: 'invitation.created',
      data: { invitationId: inv.id, documentId: doc.id, sha256: stored.sha256, signed: sealed !== null, workingDays: notice.workingDays, shortNotice: notice.short },
    });
    return { inv, doc };
  });
  ctx.documentNotices.documentChanged({ meetingId, documentId: invitation.doc.id, change: 'added', confidentiality: 'public' });

  const members = await ctx.db
    .select({ userId: users.id, displayName: users.displayName, email: users.email, disabled: users.disabled })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(eq(meetingMembers.meetingId, meetingId));
  const exp = Math.floor(meeting.startsAt.getTime() / 1000);
  const deliveries: { userId: string; email: string | null; status: DeliveryStatus; error: string | null }[] = [];
  // One message per member: each carries that member's own RSVP link.
  for (const m of members.filter((x) => !x.disabled)) {
    if (!m.email) {
      deliveries.push({ userId: m.userId, email: null, status: 'no_email', error: null });
      continue;
    }
    const token = await signLinkToken(ctx.db, { p: 'rsvp', m: meetingId, u: m.userId, exp });
    const mail = invitationMail(req.lang, { ...data, displayName: m.displayName, meetingUrl, rsvpUrl: `${ctx.publicUrl()}/rsvp#${token}`, signed: sealed !== null });
    try {
      const sent = await ctx.mailer.send(m.email, mail.subject, mail.text, mail.html, [{ filename: 'giay-moi.pdf', content: finalPdf, contentType: 'application/pdf' }]);
      deliveries.push({ userId: m.userId, email: m.email, status: sent.delivered ? 'sent' : 'logged', error: null });
    } catch (e) {
      ctx.log.warn({ err: e, userId: m.userId }, 'invitation mail failed');
      deliveries.push({ userId: m.userId, email: m.email, status: 'failed', error: e instanceof Error ? e.message.slice(0, 300) : 'send failed' });
    }
  }
  if (deliveries.length > 0) {
    await ctx.db.insert(invitationDeliveries).values(deliveries.map((d) => ({ invitationId: invitation.inv.id, ...d })));
  }
  const warnings: Warning[] = [];
  if (notice.short) {
    warnings.push({
      code: 'SHORT_NOTICE',
      message: `Only ${notice.workingDays} working day(s) before the meeting; a regular meeting needs at least ${notice.required}`,
    });
  }
  if (sealed === null) {
    warnings.push({ code: 'UNSIGNED', message: 'No organisation CA on this server: the invitation was sent unsigned (npm run cli -- ca init)' });
  }
  const undelivered = deliveries.filter((d) => d.status === 'failed' || d.status === 'no_email').length;
  if (undelivered > 0) {
    warnings.push({ code: 'NOT_DELIVERED', message: `${undelivered} member(s) could not be emailed (no address or the mail server refused)` });
  }
  return { invitation: await toInvitation(ctx, invitation.inv), warnings };
}
