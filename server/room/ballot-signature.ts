import { AppError } from '../errors';
import type { AppContext } from '../http/context';
import { verifyRoomBallot } from '../signatures/room-ballot';
import type { BallotCast } from '../../shared/room/schemas';
import type { PollRow } from '../polls/tally';
import type { MeetingRow } from '../meetings/access';

export interface BallotSignatureInput {
  readonly meeting: MeetingRow;
  readonly poll: PollRow;
  readonly userId: string;
  readonly ballot: BallotCast;
  /** Server context for the signature check (trust store, registered certificates). */
  readonly app?: AppContext;
}

/**
 * Hook for ballot signatures (adds the CMS verification here; keep the signature of this
 * function stable). Runs before the ballot's transaction; throws AppError to refuse the ballot.
 * Today: a meeting that requires signed ballots refuses unsigned named ballots. Secret ballots are
 * never signed: a signature names the voter and would link them to their choice.
 */
export async function verifyBallotSignatureHook(input: BallotSignatureInput): Promise<void> {
  const { meeting, poll, ballot } = input;
  if (poll.secret) {
    if (ballot.signature !== undefined) {
      throw new AppError(400, 'VALIDATION_ERROR', 'Secret ballots must not be signed (a signature would reveal the voter)');
    }
    return;
  }
  if (meeting.requireSignedBallots && (!ballot.signature || !ballot.nonce || !ballot.castAt)) {
    throw new AppError(400, 'INVALID_SIGNATURE', 'This meeting requires signed ballots: send signature, nonce and castAt');
  }
  // any signature sent is verified before the ballot is accepted; none is stored unchecked.
  if (ballot.signature !== undefined) {
    if (!input.app) {
      throw new AppError(400, 'INVALID_SIGNATURE', 'Ballot signatures cannot be verified here');
    }
    await verifyRoomBallot(input.app, input.userId, ballot);
  }
}
