import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { attendance, meetingMembers, users } from '../db/schema';
import type { AttendanceEntry } from '../../shared/room/snapshot';

/** Every member of a meeting with their attendance (absent when never recorded), by name. */
export async function attendanceOf(db: Executor, meetingId: string, onlyUserId?: string): Promise<AttendanceEntry[]> {
  const rows = await db
    .select({
      userId: meetingMembers.userId,
      displayName: users.displayName,
      role: meetingMembers.role,
      present: attendance.present,
      reason: attendance.reason,
      source: attendance.source,
    })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .leftJoin(attendance, and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId)))
    .where(onlyUserId ? and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, onlyUserId)) : eq(meetingMembers.meetingId, meetingId))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({ ...r, present: r.present ?? false, reason: r.reason ?? null, source: r.source ?? null }));
}
