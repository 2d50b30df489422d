import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { anyUuid } from '../db/batch-sql';
import type { Executor } from '../db/client';
import { attendance, meetingMembers } from '../db/schema';

export interface VotingCounts {
  readonly eligible: number;
  readonly present: number;
}

/** Voting members (chair, delegates) and how many are present: one aggregate row, not N member rows. */
export async function votingCounts(db: Executor, meetingId: string): Promise<VotingCounts> {
  return (await votingCountsOf(db, [meetingId])).get(meetingId) ?? { eligible: 0, present: 0 };
}

/** votingCounts of several meetings in one statement (tally flushes of a node share it); a meeting without voting members is absent. */
export async function votingCountsOf(db: Executor, meetingIds: readonly string[]): Promise<Map<string, VotingCounts>> {
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
