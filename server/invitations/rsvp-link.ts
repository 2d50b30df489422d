import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { Executor } from '../db/client';
import { meetingMembers, meetings, users } from '../db/schema';
import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import { verifyLinkToken } from '../mail/link-token';
import { lockMeeting } from '../meetings/guards';
import { RsvpLinkPayload, type RsvpLinkAnswer, type RsvpLinkView } from '../../shared/api/invitations';

const gone = () => new AppError(403, 'LINK_INVALID', 'This invitation no longer applies to you: sign in to the app');

async function view(db: Executor, p: RsvpLinkPayload): Promise<RsvpLinkView> {
  const [row] = await db
    .select({ meeting: meetings, displayName: users.displayName, rsvp: meetingMembers.rsvp, rsvpReason: meetingMembers.rsvpReason, disabled: users.disabled })
    .from(meetingMembers)
    .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(and(eq(meetingMembers.meetingId, p.m), eq(meetingMembers.userId, p.u)))
    .limit(1);
  // Removed from the meeting, account disabled or meeting withdrawn since the mail went out.
  if (!row || row.disabled || row.meeting.status === 'draft') {
    throw gone();
  }
  return {
    meeting: { id: row.meeting.id, title: row.meeting.title, startsAt: row.meeting.startsAt.toISOString(), location: row.meeting.location, status: row.meeting.status },
    member: { displayName: row.displayName, rsvp: row.rsvp, rsvpReason: row.rsvpReason },
    expiresAt: new Date(p.exp * 1000).toISOString(),
  };
}

export async function viewByLink(ctx: AppContext, token: string): Promise<RsvpLinkView> {
  const p = await verifyLinkToken(ctx.db, token, RsvpLinkPayload);
  return view(ctx.db, p);
}

/**
 * The emailed link answers exactly one invitation for exactly one member, and only until the meeting
 * starts; it opens no session. Same rules and audit entry as the signed-in RSVP route.
 */
export async function answerByLink(ctx: AppContext, body: RsvpLinkAnswer): Promise<RsvpLinkView> {
  const p = await verifyLinkToken(ctx.db, body.token, RsvpLinkPayload);
  return ctx.db.transaction(async (tx) => {
    await lockMeeting(tx, p.m);
    const current = await view(tx, p);
    if (current.meeting.status !== 'published') {
      throw new AppError(409, 'INVALID_STATE', 'The meeting has already started or closed: answers are no longer taken');
    }
    const reason = body.rsvp === 'absent' ? body.reason : null;
    await tx
      .update(meetingMembers)
      .set({ rsvp: body.rsvp, rsvpReason: reason })
      .where(and(eq(meetingMembers.meetingId, p.m), eq(meetingMembers.userId, p.u)));
    await appendAudit(tx, { actorId: p.u, meetingId: p.m, action: 'member.rsvp', data: { rsvp: body.rsvp, withReason: reason !== null, via: 'email-link' } });
    return view(tx, p);
  });
}
