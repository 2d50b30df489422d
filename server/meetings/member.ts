import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { meetingMembers, meetings, users } from '../db/schema';
import { notFound } from '../errors';
import type { MeetingRole } from '../../shared/roles';
import type { MeetingRow } from './access';

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
