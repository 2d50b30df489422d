import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { rowsOf, tableRowOf } from '../db/batch-sql';
import { polls } from '../db/schema';
import { auditChainArgs, writeAudited } from '../audit/log';
import { auditQueued } from '../audit/pending';
import { AppError, invalidState, notFound } from '../errors';
import { countsOf, votingCountsSubquery } from '../meetings/voting-members';
import { canonicalJson } from '../../shared/domain/canonical-json';
import { quorum } from '../../shared/domain/quorum';
import { countBallots, type Counted, type PollRow } from './tally';

/** What the database function `poll_open` (migration 0020) answers. */
const OpenAnswer = z.union([
  z.object({ poll: z.record(z.string(), z.unknown()), eligible: z.number().int() }),
  z.object({ refused: z.literal('not_found') }),
  z.object({ refused: z.literal('not_draft'), status: z.string() }),
  z.object({ refused: z.literal('meeting_not_running') }),
  z.object({ refused: z.literal('other_open') }),
  z.object({ refused: z.literal('quorum'), present: z.number().int(), eligible: z.number().int(), num: z.number().int(), den: z.number().int() }),
]);

/**
 * Opens a draft poll in ONE statement (the database function `poll_open`, migration 0020): the poll
 * and its meeting locked (FOR UPDATE), the poll a draft, the meeting in progress and not paused, no
 * other vote open, and the quorum met (or overridden with a reason, audited as
 * `poll.quorum_override`); then the update and its audit entries. The opening of 300 polls at once was
 * five round trips each, built by drizzle every time, and held up the first ballots of every meeting
 * (docs/benchmarks.md "Live room, sixteenth round"). Returns the opened row and the voting members.
 */
export async function openPoll(
  db: Db,
  meetingId: string,
  pollId: string,
  actorId: string,
  overrideReason: string | undefined,
): Promise<{ row: PollRow; eligible: number }> {
  // Whole milliseconds, as the audit entry writes closesAt (Date.toISOString()); the open's time and its entry's.
  const now = new Date().toISOString();
  const reason = overrideReason ?? null;
  const res = await db.execute(sql`select poll_open(
    ${pollId}::uuid, ${meetingId}::uuid, ${actorId}::uuid, ${now}::timestamptz, ${now},
    ${reason}::text, ${reason === null ? null : canonicalJson(reason)}::text, ${auditChainArgs()}) as answer`);
  const answer = OpenAnswer.parse(z.object({ answer: z.unknown() }).parse(rowsOf(res)[0]).answer);
  if ('poll' in answer) {
    await auditQueued(db);
    return { row: tableRowOf(polls, answer.poll), eligible: answer.eligible };
  }
  switch (answer.refused) {
    case 'not_found':
      throw notFound('Poll');
    case 'not_draft':
      throw invalidState(`Only a draft poll can be opened (it is ${answer.status})`);
    case 'meeting_not_running':
      throw invalidState('Votes open only while the meeting is in progress and not paused');
    case 'other_open':
      throw invalidState('Another vote is open; close it first');
    case 'quorum': {
      const q = quorum(answer.present, answer.eligible, { num: answer.num, den: answer.den });
      throw new AppError(409, 'QUORUM_NOT_MET', `Quorum not met: ${q.present} of ${q.total} present, ${q.required} needed`);
    }
  }
}

/**
 * Closes an open poll in one transaction: the row lock (FOR UPDATE) waits for ballots in flight
 * (they hold FOR SHARE), so no ballot commits after the close and every acked ballot is counted.
 * Returns the closed row with its final counts (read under that lock, so exact), or null when the
 * poll was already closed and `idempotent` is set (countdown, second node).
 */
export async function closePoll(db: Db, meetingId: string, pollId: string, actorId: string | null, idempotent = false): Promise<{ row: PollRow; counted: Counted } | null> {
  return db.transaction(async (tx) => {
    // The poll, locked, and the meeting's voting members in one statement.
    const voting = votingCountsSubquery(tx, meetingId);
    const [found] = await tx
      .select({ poll: polls, eligible: voting.eligible, present: voting.present })
      .from(polls)
      .leftJoin(voting, sql`true`)
      .where(eq(polls.id, pollId))
      .for('update', { of: polls });
    if (!found || found.poll.meetingId !== meetingId) {
      throw notFound('Poll');
    }
    const p = found.poll;
    if (p.status !== 'open') {
      if (idempotent) {
        return null;
      }
      throw new AppError(409, p.status === 'draft' ? 'POLL_NOT_OPEN' : 'POLL_CLOSED', `The poll is ${p.status}`);
    }
    const { eligible, present } = countsOf(found);
    // Aggregate counts only: never a secret ballot's link to a voter. Read under the row lock, which
    // no ballot passes: they are the final counts, and the close's audit entry records them.
    const { counts, cast } = await countBallots(tx, p);
    const [closed] = await writeAudited(
      tx,
      polls,
      tx.update(polls).set({ status: 'closed', closedAt: new Date(), eligibleAtClose: eligible, presentAtClose: present }).where(eq(polls.id, pollId)).returning(),
      [{ actorId, meetingId, action: actorId ? 'poll.close' : 'poll.autoclose', data: { pollId, counts, cast, eligible, present } }],
    );
    if (!closed) {
      throw invalidState('Poll vanished while closing');
    }
    return { row: closed, counted: { counts, cast } };
  });
}
