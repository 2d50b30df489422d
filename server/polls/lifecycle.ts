import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { polls } from '../db/schema';
import { writeAudited } from '../audit/log';
import { AppError, invalidState, notFound } from '../errors';
import { countsOf, votingCountsSubquery } from '../meetings/voting-members';
import { countBallots, type Counted, type PollRow } from './tally';

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
