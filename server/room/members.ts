import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { meetingMembers, meetings, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import type { MeetingRole } from '../../shared/roles';
import { EVENT_AUDIENCE, inAudience, type ClientEventName } from '../../shared/room/events';

export type MeetingRow = typeof meetings.$inferSelect;

export interface Member {
  readonly userId: string;
  readonly displayName: string;
  readonly role: MeetingRole;
  readonly canRunRoom: boolean;
  readonly meeting: MeetingRow;
}

/**
 * The caller as a member of the meeting. Outsiders (admins included) get NOT_FOUND, like the REST
 * routes, so a socket cannot even learn that a meeting exists; drafts are hidden from non-staff.
 */
export async function loadMember(db: Executor, meetingId: string, userId: string): Promise<Member> {
  const [row] = await db
    .select({ meeting: meetings, role: meetingMembers.role, canRunRoom: meetingMembers.canRunRoom, displayName: users.displayName })
    .from(meetingMembers)
    .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .limit(1);
  if (!row) {
    throw notFound('Meeting');
  }
  if (row.meeting.status === 'draft' && row.role !== 'chair' && row.role !== 'secretary') {
    throw notFound('Meeting');
  }
  return { userId, displayName: row.displayName, role: row.role, canRunRoom: row.canRunRoom, meeting: row.meeting };
}

/** Deny-by-default permission check from the shared table (shared/room/permissions.ts). */
export function requirePermission(event: ClientEventName, m: Member): void {
  const rule = EVENT_AUDIENCE[event];
  if (!inAudience(rule.audience, m)) {
    throw new AppError(403, 'FORBIDDEN', `${event} is not allowed for a ${m.role}: ${rule.why}`);
  }
}

export function isStaff(m: Pick<Member, 'role'>): boolean {
  return m.role === 'chair' || m.role === 'secretary';
}

/**
 * Who gets full name lists (attendance, named results) in snapshots and broadcasts: everyone but
 * delegates, whose copies carry counts and their own entry (O(N) per join, not O(N²)).
 */
export function seesRoster(m: Pick<Member, 'role'>): boolean {
  return m.role !== 'delegate';
}

export function isRunner(m: Pick<Member, 'role' | 'canRunRoom'>): boolean {
  return m.role === 'chair' || (m.role === 'secretary' && m.canRunRoom);
}
