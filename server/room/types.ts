import type { AppContext } from '../http/context';
import type { TallyBroadcaster } from './tally-broadcaster';
import type { PollCountdown } from '../polls/countdown';
import type { BallotQueue } from '../polls/ballot-queue';
import type { PollCache } from '../polls/poll-cache';
import type { MemberCache } from './member-cache';
import type { MemberReads } from './member-reads';
import type { MyBallotNotices } from './my-ballots';
import type { NewestFanouts } from './newest-fanouts';
import type { SnapshotCache } from './snapshot-cache';
import type { OwnBallotsOf } from './snapshot';
import type { RoomIo } from './io';

/** What every room handler module gets (no globals: tests run several servers in one process). */
export interface RoomContext {
  readonly app: AppContext;
  readonly io: RoomIo;
  /** Other nodes share the room (Redis adapter): a broadcast must go through the adapter to reach them. */
  readonly peers: boolean;
  readonly tally: TallyBroadcaster;
  readonly countdown: PollCountdown;
  readonly ballots: BallotQueue;
  /** Open polls of this node (a hint; the ballot transaction re-checks the status). */
  readonly polls: PollCache;
  /** Members for ballot:cast (a hint; the ballot transaction re-checks membership). */
  readonly members: MemberCache;
  /** Fresh membership reads for every other event, batched (a socket's join may use its handshake's read). */
  readonly memberReads: MemberReads;
  /** A joining member's own ballots, the reads of a storm's joins batched (snapshot.ts readOwnBallots). */
  readonly ownBallots: OwnBallotsOf;
  /** The shared part of join snapshots, per meeting and audience, until the meeting changes. */
  readonly snapshots: SnapshotCache;
  /** Per poll, the newest poll:update fan-out (broadcast.ts): an older one still slicing stops. */
  readonly pollFanouts: NewestFanouts;
  /** `ballot:mine` to the voter's other sockets, on every node. */
  readonly myBallots: MyBallotNotices;
  /** Set on shutdown: late broadcasts then fail quietly instead of logging errors. */
  readonly lifecycle: { closed: boolean };
}
