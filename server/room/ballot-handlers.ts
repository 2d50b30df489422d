import { notFound } from '../errors';
import { assertOpen, checkChoice } from '../polls/ballot-rules';
import { verifyBallotSignatureHook } from './ballot-signature';
import type { RoomEvents } from './handler';
import type { RoomContext } from './types';

/**
 * `ballot:cast` transport (docs/architecture.md "Guarantees of a vote"): cheap checks on the cached poll,
 * the signature check, then the group commit (server/polls/ballot-queue.ts) and the ack after commit.
 * The rules themselves live in server/polls/ballot-rules.ts.
 */
export function registerBallotHandlers(rc: RoomContext, events: RoomEvents): void {
  events.on('ballot:cast', async (input, m, socket) => {
    // The cached row saves a read per ballot; the batch re-checks the status under FOR SHARE.
    const poll = await rc.polls.get(m.meeting.id, input.pollId);
    if (!poll) {
      throw notFound('Poll');
    }
    assertOpen(poll.status, poll.closesAt);
    checkChoice(poll, input.choice);
    rc.tally.received(poll.id);
    await verifyBallotSignatureHook({ meeting: m.meeting, poll, userId: m.userId, ballot: input, app: rc.app });
    const duplicate = await rc.ballots.submit({ poll, member: m, input });
    return {
      body: { ballotId: input.ballotId, duplicate },
      after: () => {
        if (!duplicate) {
          rc.tally.committed(m.meeting.id, poll.id, m.userId);
        }
        // The voter's other devices learn that they voted (and what, for named polls).
        rc.myBallots.tell(socket.id, { userId: m.userId, meetingId: m.meeting.id, pollId: poll.id, ballotId: input.ballotId, choice: poll.secret ? null : input.choice });
      },
    };
  }, { cachedMember: true });
}
