import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { polls } from '../db/schema';
import { appendAudit } from '../audit/log';
import { AppError, invalidState, notFound } from '../errors';
import { votingCounts } from '../meetings/voting-members';
import { countBallots, type Counted, type PollRow } from './tally';

/**
 * Closes an open poll in one transaction: the row lock (FOR UPDATE) waits for ballots in flight
 * (they hold FOR SHARE), so no ballot commits after the close and every acked ballot is counted.
 * Returns the closed row with its final counts (read under that lock, so exact), or null when the
 * poll was already closed and `idempotent` is set (countdown, second node).
 */
export async function closePoll(db: Db, meetingId: string, pollId: string, actorId: string | null, idempotent = false): Promise<{ row: PollRow; counted: Counted } | null> {
  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(polls).where(eq(polls.id, pollId)).for('update');
    if (!p || p.meetingId !== meetingId) {
      throw notFound('Poll');
    }
    if (p.status !== 'open') {
      if (idempotent) {
        return null;
      }
      throw new AppError(409, p.status === 'draft' ? 'POLL_NOT_OPEN' : 'POLL_CLOSED', `The poll is ${p.status}`);
    }
    const { eligible, present } = await votingCounts(tx, meetingId);
    const [closed] = await tx
      .update(polls)
      .set({ status: 'closed', closedAt: new Date(), eligibleAtClose: eligible, presentAtClose: present })
      .where(eq(polls.id, pollId))
      .returning();
    if (!closed) {
      throw invalidState('Poll vanished while closing');
    }
    // Aggregate counts only: never a secret ballot's link to a voter.
    const { counts, cast } = await countBallots(tx, closed);
    await appendAudit(tx, {
      actorId,
      meetingId,
      action: actorId ? 'poll.close' : 'poll.autoclose',
      data: { pollId, counts, cast, eligible, present },
    });
    return { row: closed, counted: { counts, cast } };
  });
}
