import { and, count, eq, inArray, sql, type Placeholder } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { anyUuid } from '../db/batch-sql';
import type { Executor } from '../db/client';
import { perDatabase } from '../db/per-database';
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
  // Built once per database (most calls: tallies, snapshots, views); inside a transaction, built on
  // its connection. drizzle's building of it on every call was ≈ 2.5 % of a node's CPU with 10,000
  // delegates in 300 meetings (docs/benchmarks.md "Live room, nineteenth round").
  const rows =
    db instanceof PgTransaction
      ? await votingCountsQuery(db, meetingIds).prepare('voting_counts').execute()
      : await votingCountsRead(db).execute({ meetingIds: [...meetingIds] });
  return new Map(rows.map((r) => [r.meetingId, { eligible: r.eligible, present: r.present }]));
}

/** The same text as the per-call statement (one list parameter), so a connection prepares it once for both. */
const votingCountsRead = perDatabase((db) => votingCountsQuery(db, sql.placeholder('meetingIds')).prepare('voting_counts'));

/** The statement of votingCountsOf (its plan is tested: tests/integration/plan-cache.test.ts). */
export function votingCountsQuery(db: Executor, meetingIds: readonly string[] | Placeholder) {
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
