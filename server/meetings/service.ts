import { and, desc, eq, inArray, ne, or } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { councilMembers, councils, meetingMembers, meetings, users } from '../db/schema';
import { badRequest } from '../errors';
import type { AuthUser } from '../auth/sessions';
import type { CreateMeetingRequest, MeetingStatus, MeetingSummary } from '../../shared/api/meetings';
import type { MeetingRole, UserRole } from '../../shared/roles';
import type { MeetingRow } from './access';
import { toSummary } from './views';

/** A council member's role in a new meeting follows their account role; admins sit as delegates. */
export function meetingRoleFor(role: UserRole): MeetingRole {
  switch (role) {
    case 'chair':
    case 'secretary':
    case 'observer':
      return role;
    case 'admin':
    case 'delegate':
      return 'delegate';
    default: {
      const never: never = role;
      return never;
    }
  }
}

/** A meeting that ends when (or before) it starts is a typing mistake, never a real session. */
export function assertTimes(startsAt: Date, endsAt: Date | null): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) {
    throw badRequest('Invalid endsAt: the meeting must end after it starts');
  }
}

export function assertQuorum(num: number, den: number): void {
  if (num > den) {
    throw badRequest('Invalid quorumNum: the quorum fraction cannot exceed 1 (quorumNum ≤ quorumDen)');
  }
}

/**
 * Creates a draft meeting. With a council, its members join (role from their account role) and its quorum
 * rule is copied, editable per meeting afterwards. The creator always sits as the meeting's secretary.
 */
export async function createMeeting(tx: Tx, creator: AuthUser, body: CreateMeetingRequest): Promise<MeetingRow> {
  const startsAt = new Date(body.startsAt);
  const endsAt = body.endsAt ? new Date(body.endsAt) : null;
  assertTimes(startsAt, endsAt);
  let quorum = { quorumNum: 2, quorumDen: 3 };
  const members = new Map<string, MeetingRole>();
  if (body.councilId) {
    const [council] = await tx.select().from(councils).where(eq(councils.id, body.councilId)).limit(1);
    if (!council) {
      throw badRequest(`Invalid councilId: no council ${body.councilId}`);
    }
    quorum = { quorumNum: council.quorumNum, quorumDen: council.quorumDen };
    const rows = await tx
      .select({ userId: users.id, role: users.role })
      .from(councilMembers)
      .innerJoin(users, eq(users.id, councilMembers.userId))
      .where(and(eq(councilMembers.councilId, council.id), eq(users.disabled, false)));
    for (const r of rows) {
      members.set(r.userId, meetingRoleFor(r.role));
    }
  }
  members.set(creator.id, 'secretary');
  const [meeting] = await tx
    .insert(meetings)
    .values({
      councilId: body.councilId ?? null,
      title: body.title,
      body: body.body,
      location: body.location,
      startsAt,
      endsAt,
      status: 'draft',
      ...quorum,
      createdBy: creator.id,
    })
    .returning();
  if (!meeting) {
    throw new Error('meeting insert returned nothing');
  }
  await tx.insert(meetingMembers).values(
    [...members].map(([userId, role]) => ({ meetingId: meeting.id, userId, role, canRunRoom: role === 'secretary' })),
  );
  return meeting;
}

/**
 * The caller's meetings, newest first: members see their meetings (drafts only as secretary or chair);
 * admins see every meeting.
 */
export async function listMeetings(db: Executor, user: AuthUser, status?: MeetingStatus): Promise<MeetingSummary[]> {
  const isAdmin = user.role === 'admin';
  const visible = isAdmin
    ? undefined
    : and(
        eq(meetingMembers.userId, user.id),
        or(ne(meetings.status, 'draft'), inArray(meetingMembers.role, ['secretary', 'chair'])),
      );
  const rows = await db
    .select({ meeting: meetings, role: meetingMembers.role, rsvp: meetingMembers.rsvp })
    .from(meetings)
    .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, user.id)))
    .where(and(visible, status ? eq(meetings.status, status) : undefined))
    .orderBy(desc(meetings.startsAt), desc(meetings.createdAt));
  return rows.map((r) => toSummary(r.meeting, r.role ?? null, r.rsvp ?? null));
}
