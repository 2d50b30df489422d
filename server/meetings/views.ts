import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { documents, meetingMembers, users } from '../db/schema';
import type { AuthUser } from '../auth/sessions';
import type { Member, MeetingSummary, Rsvp } from '../../shared/api/meetings';
import type { DocumentMeta } from '../../shared/api/documents';
import type { MeetingRole } from '../../shared/roles';
import { canReadDocument, type MeetingAccess, type MeetingRow } from './access';
import { hiddenDrafts } from '../minutes/drafts';

/** Serialisation of rows into the REST contracts of shared/api/meetings.ts. */

export function toSummary(m: MeetingRow, myRole: MeetingRole | null, myRsvp: Rsvp | null): MeetingSummary {
  return {
    id: m.id,
    councilId: m.councilId,
    title: m.title,
    body: m.body,
    location: m.location,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt ? m.endsAt.toISOString() : null,
    status: m.status,
    myRole,
    myRsvp,
  };
}

const ROLE_ORDER: Readonly<Record<MeetingRole, number>> = { chair: 0, secretary: 1, delegate: 2, observer: 3 };

const memberColumns = {
  userId: meetingMembers.userId,
  username: users.username,
  displayName: users.displayName,
  title: users.title,
  role: meetingMembers.role,
  rsvp: meetingMembers.rsvp,
  rsvpReason: meetingMembers.rsvpReason,
  canRunRoom: meetingMembers.canRunRoom,
};

/**
 * Members in hall order (chair, secretary, delegates, observers). A reason for absence can be personal
 * (illness), so only the meeting's staff and the member themself see it.
 */
export async function listMembers(db: Executor, access: MeetingAccess, viewer: AuthUser): Promise<Member[]> {
  const rows = await db
    .select(memberColumns)
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(eq(meetingMembers.meetingId, access.meeting.id))
    .orderBy(asc(users.username));
  const staff = access.isAdmin || access.role === 'secretary' || access.role === 'chair';
  return rows
    .map((r) => ({ ...r, rsvpReason: staff || r.userId === viewer.id ? r.rsvpReason : null }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/** The caller's RSVP in the meeting, null when not a member. */
export async function myRsvp(db: Executor, meetingId: string, userId: string): Promise<Rsvp | null> {
  const [row] = await db
    .select({ rsvp: meetingMembers.rsvp })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .limit(1);
  return row?.rsvp ?? null;
}

export async function getMember(db: Executor, meetingId: string, userId: string): Promise<Member | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .limit(1);
  return row;
}

/** Non-revoked documents of the meeting that this caller may read (observers: public only). */
export async function readableDocuments(db: Executor, access: MeetingAccess): Promise<DocumentMeta[]> {
  const rows = await db
    .select()
    .from(documents)
    .where(and(eq(documents.meetingId, access.meeting.id), isNull(documents.revokedAt)))
    .orderBy(asc(documents.createdAt), asc(documents.name));
  // Draft minutes stay with the chair and the secretariat until the chair signs (server/minutes/drafts.ts).
  const hidden = await hiddenDrafts(db, access);
  return rows
    .filter((d) => canReadDocument(access, d.confidentiality) && !hidden.has(d.id))
    .map((d) => ({
      id: d.id,
      meetingId: d.meetingId,
      agendaItemId: d.agendaItemId,
      name: d.name,
      sha256: d.sha256,
      size: d.size,
      pages: d.pages,
      confidentiality: d.confidentiality,
      createdAt: d.createdAt.toISOString(),
    }));
}
