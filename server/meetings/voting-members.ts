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

/**
 * votingCounts of several meetings in one statement (tally flushes of a node share it); a meeting
 * without voting members is absent. The join repeats the meetings for `attendance`, so both sides are
 * read by their primary keys whatever the plan: without it a generic plan (every statement on
 * PGlite, this one on PostgreSQL) hash-joined a scan of the whole table, 1.23 ms against 0.08 ms with
 * 10,000 members (docs/benchmarks.md, tenth round). Named: it runs ≈ 5 times per poll per round (the
 * draft's view, the quorum check, the close, the tally's cache, join snapshots), and its text is the
 * same for any number of meetings, so each connection parses and plans it once.
 */
export async function votingCountsOf(db: Executor, meetingIds: readonly string[]): Promise<Map<string, VotingCounts>> {
  const rows = await votingCountsQuery(db, meetingIds).prepare('voting_counts').execute();
  return new Map(rows.map((r) => [r.meetingId, { eligible: r.eligible, present: r.present }]));
}

/** The statement of votingCountsOf (its plan is tested: tests/integration/plan-cache.test.ts). */
export function votingCountsQuery(db: Executor, meetingIds: readonly string[]) {
  return db
    .select({
      meetingId: meetingMembers.meetingId,
      eligible: count().as('eligible'),
      present: sql<number>`count(*) filter (where ${attendance.present})`.mapWith(Number).as('present'),
    })
    .from(meetingMembers)
    .leftJoin(
      attendance,
      and(eq(attendance.meetingId, meetingMembers.meetingId), eq(attendance.userId, meetingMembers.userId), anyUuid(attendance.meetingId, meetingIds)),
    )
    .where(and(anyUuid(meetingMembers.meetingId, meetingIds), inArray(meetingMembers.role, ['chair', 'delegate'])))
    .groupBy(meetingMembers.meetingId);
}

/**
 * votingCounts of one meeting as a subquery, to join (`on true`) into a statement that reads something
 * else in the same round trip: a poll's open and close read them beside their locked rows. Its columns
 * are null when the meeting has no voting member; countsOf reads them.
 */
export function votingCountsSubquery(db: Executor, meetingId: string) {
  return votingCountsQuery(db, [meetingId]).as('voting');
}

export function countsOf(row: { readonly eligible: number | null; readonly present: number | null }): VotingCounts {
  return { eligible: row.eligible ?? 0, present: row.present ?? 0 };
}
