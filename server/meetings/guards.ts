import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { meetings } from '../db/schema';
import { invalidState } from '../errors';
import type { AuthUser } from '../auth/sessions';
import { requireManage, type MeetingAccess } from './access';

/**
 * Row-locks the meeting for the rest of the transaction, so a concurrent status change (e.g. closing)
 * cannot slip between our "is it still open?" check and the write on PostgreSQL. PGlite is single-connection
 * anyway. A missing row locks nothing; the access check that follows answers 404.
 */
export async function lockMeeting(tx: Tx, meetingId: string): Promise<void> {
  await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
}

/** Closed meetings are the record of what happened: read-only. */
export function assertWritable(access: MeetingAccess): void {
  if (access.meeting.status === 'closed') {
    throw invalidState('The meeting is closed and can no longer be changed');
  }
}

/** The common guard of every manager mutation: lock, 404 for outsiders, 403 for non-managers, 409 when closed. */
export async function manageOpenMeeting(tx: Tx, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  await lockMeeting(tx, meetingId);
  const access = await requireManage(tx, meetingId, user);
  assertWritable(access);
  return access;
}

/** Clients compare updatedAt to know the meeting (or its agenda/members) changed. */
export async function touchMeeting(tx: Tx, meetingId: string): Promise<void> {
  await tx.update(meetings).set({ updatedAt: new Date() }).where(eq(meetings.id, meetingId));
}
