import type { Server, Socket } from 'socket.io';
import type { AppContext } from '../http/context';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/room/events';
import type { TallyBroadcaster } from '../polls/tally-broadcaster';
import type { PollCountdown } from '../polls/countdown';
import type { BallotQueue } from '../polls/ballot-queue';
import type { PollCache } from '../polls/poll-cache';
import type { MemberCache } from './member-cache';

export type RoomIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What every room handler module gets (no globals: tests run several servers in one process). */
export interface RoomContext {
  readonly app: AppContext;
  readonly io: RoomIo;
  readonly tally: TallyBroadcaster;
  readonly countdown: PollCountdown;
  readonly ballots: BallotQueue;
  /** Open polls of this node (a hint; the ballot transaction re-checks the status). */
  readonly polls: PollCache;
  /** Members for ballot:cast (a hint; the ballot transaction re-checks membership). */
  readonly members: MemberCache;
  /** Set on shutdown: late broadcasts then fail quietly instead of logging errors. */
  readonly lifecycle: { closed: boolean };
}

/**
 * Socket.IO rooms: everyone in a meeting, its staff (chair/secretary), its roster audience (everyone
 * but delegates: staff, observers, the hall display — they get full lists) and one user's own sockets.
 */
export const rooms = {
  meeting: (meetingId: string) => `m:${meetingId}`,
  staff: (meetingId: string) => `m:${meetingId}:staff`,
  roster: (meetingId: string) => `m:${meetingId}:roster`,
  user: (userId: string) => `u:${userId}`,
};
