import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { namedBallots, secretVoters } from '../db/schema';
import type { AuditEntry } from '../audit/log';
import { AppError, badRequest } from '../errors';
import type { Member } from '../meetings/member';
import type { BallotCast } from '../../shared/room/schemas';
import { pollOptions, type PollRow } from './tally';

/**
 * Rules of a ballot (docs/architecture.md "Guarantees of a vote"): acked only after commit; one per
 * (poll, voter) by a UNIQUE constraint; the client's ballot id makes retries idempotent; late ballots
 * get POLL_CLOSED. Used by the live room's `ballot:cast` (cheap checks before queueing) and by the
 * group commit (server/polls/ballot-queue.ts, the checks that decide).
 */

export function assertOpen(status: PollRow['status'], closesAt: Date | null): void {
  if (status === 'draft') {
    throw new AppError(409, 'POLL_NOT_OPEN', 'The poll is not open yet');
  }
  if (status !== 'open' || (closesAt && closesAt.getTime() <= Date.now())) {
    throw new AppError(409, 'POLL_CLOSED', 'The poll is closed; this ballot was not counted');
  }
}

export function checkChoice(poll: PollRow, choice: readonly string[]): void {
  const ids = new Set(pollOptions(poll).map((o) => o.id));
  if (new Set(choice).size !== choice.length) {
    throw badRequest('choice lists an option twice');
  }
  const unknown = choice.find((c) => !ids.has(c));
  if (unknown) {
    throw badRequest(`Unknown option ${unknown}`);
  }
  if (poll.kind === 'yes_no_abstain' && choice.length !== 1) {
    throw badRequest('Choose exactly one of yes, no, abstain');
  }
  if (poll.kind === 'election' && choice.length > poll.maxChoices) {
    throw badRequest(`Choose at most ${poll.maxChoices} candidates`);
  }
}

export function namedAudit(
  poll: PollRow,
  m: Member,
  b: BallotCast,
  action: 'ballot.cast' | 'ballot.change',
): AuditEntry {
  return {
    actorId: m.userId,
    meetingId: m.meeting.id,
    action,
    data: { pollId: poll.id, ballotId: b.ballotId, choice: b.choice },
  };
}

/** The audit log records that this member voted, never what. */
export function secretAudit(poll: PollRow, m: Member): AuditEntry {
  return {
    actorId: m.userId,
    meetingId: m.meeting.id,
    action: 'ballot.cast',
    data: { pollId: poll.id, secret: true },
  };
}

export interface Resolved {
  /** True when this ballot id was already counted (a retry). */
  readonly duplicate: boolean;
  readonly audit?: AuditEntry;
}

/**
 * A named ballot whose insert was skipped (BallotQueue inserts first: the common case, a voter's first
 * ballot, costs no extra statement). FOR UPDATE makes concurrent casts of one voter (retries, two
 * devices) queue and then see the winner's row, so a retried ballot id is recognized instead of
 * applied twice; a different id changes the vote where the poll allows it.
 */
export async function resolveNamedConflict(
  tx: Tx,
  poll: PollRow,
  m: Member,
  b: BallotCast,
): Promise<Resolved> {
  const [existing] = await tx
    .select({ id: namedBallots.id })
    .from(namedBallots)
    .where(and(eq(namedBallots.pollId, poll.id), eq(namedBallots.voterId, m.userId)))
    .for('update');
  if (!existing) {
    throw new AppError(409, 'CONFLICT', 'This ballot id is already used; send a new random id');
  }
  if (existing.id === b.ballotId) {
    return { duplicate: true };
  }
  if (poll.correction === 'final') {
    throw new AppError(409, 'ALREADY_VOTED', 'You already voted in this poll and it does not allow changes');
  }
  await tx
    .update(namedBallots)
    .set({
      id: b.ballotId,
      choice: JSON.stringify(b.choice),
      signature: b.signature ?? null,
      nonce: b.nonce ?? null,
      castAt: b.castAt ?? null,
      updatedAt: new Date(),
    })
    .where(eq(namedBallots.id, existing.id));
  return { duplicate: false, audit: namedAudit(poll, m, b, 'ballot.change') };
}

/**
 * Secret ballot: "who voted" (secret_voters) and "what was voted" (counters in secret_tallies) are written apart;
 * there is no ballot row at all, only counters per option. Final on first cast: a change
 * would need a voter→ballot link, which is exactly what a secret ballot must not have. This resolves a
 * skipped secret_voters insert: the same ballot id is a retry, another one is refused.
 */
export async function resolveSecretConflict(
  tx: Tx,
  poll: PollRow,
  m: Member,
  b: BallotCast,
): Promise<Resolved> {
  const [v] = await tx
    .select({ ballotId: secretVoters.ballotId })
    .from(secretVoters)
    .where(and(eq(secretVoters.pollId, poll.id), eq(secretVoters.userId, m.userId)));
  if (v?.ballotId === b.ballotId) {
    return { duplicate: true };
  }
  throw new AppError(
    409,
    'ALREADY_VOTED',
    'You already voted in this secret poll (secret ballots are final)',
  );
}
