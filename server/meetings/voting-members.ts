import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { anyUuid } from '../db/batch-sql';
import type { Executor } from '../db/client';
import { attendance, meetingMembers } from '../db/schema';

/** Voting members (chair, delegates) and how many are present: one aggregate row, not N member rows. */
export async function votingCounts(db: Executor, meetingId: string): Promise<{ eligible: number; present: number }> {
  const [row] = await db
    .select({ eligible: count(), present: sql<number>`count(*) filter (where ${attendance.present})`.mapWith(Number) })
    .from(meetingMembers)
    .leftJoin(attendance, and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId)))
    .where(and(eq(meetingMembers.meetingId, meetingId), inArray(meetingMembers.role, ['chair', 'delegate'])));
  return { eligible: row?.eligible ?? 0, present: row?.present ?? 0 };
}

/** votingCounts of several meetings in one statement (tally flushes of a node share it); a meeting without voting members is absent. */
export async function votingCountsOf(db: Executor, meetingIds: readonly string[]): Promise<Map<string, { eligible: number; present: number }>> {
  const rows = await db
    .select({
      meetingId: meetingMembers.meetingId,
      eligible: count(),
      present: sql<number>`count(*) filter (where ${attendance.present})`.mapWith(Number),
    })
    .from(meetingMembers)
    .leftJoin(attendance, and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId)))
    .where(and(anyUuid(meetingMembers.meetingId, meetingIds), inArray(meetingMembers.role, ['chair', 'delegate'])))
    .groupBy(meetingMembers.meetingId);
  return new Map(rows.map((r) => [r.meetingId, { eligible: r.eligible, present: r.present }]));
}
