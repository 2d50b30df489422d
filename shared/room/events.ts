import type { z } from 'zod';
import type { ErrorBody } from '../errors';
import type * as S from './schemas';
import type {
  AttendanceEntry,
  DocumentsChanged,
  MeetingState,
  MyBallot,
  PollProgress,
  PollView,
  QuorumView,
  RoomSnapshot,
  SpeakerView,
} from './snapshot';

export * from './schemas';
export * from './snapshot';
export * from './permissions';

/**
 * Socket.IO contracts of the live room, typed once (docs/architecture.md "Live room"; docs/protocol.md).
 * Server: `Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>`;
 * client: `Socket<ServerToClientEvents, ClientToServerEvents>`.
 */

/** Every client event is acknowledged with this shape; errors never throw across the wire. */
export type Ack<T extends object = Record<never, never>> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type AckFn<T extends object = Record<never, never>> = (res: Ack<T>) => void;

type In<K extends keyof typeof S.clientEventSchemas> = z.input<(typeof S.clientEventSchemas)[K]>;

/** Ack payloads per event (the `…` of `{ ok: true, … }`). */
export interface AckBodies {
  'meeting:join': { snapshot: RoomSnapshot };
  'meeting:leave': Record<never, never>;
  'meeting:snapshot': { snapshot: RoomSnapshot };
  'meeting:start': { meeting: MeetingState };
  'meeting:pause': { meeting: MeetingState };
  'meeting:resume': { meeting: MeetingState };
  'meeting:end': { meeting: MeetingState };
  'agenda:setCurrent': { meeting: MeetingState };
  'attendance:checkIn': { entry: AttendanceEntry; quorum: QuorumView };
  'attendance:mark': { entry: AttendanceEntry; quorum: QuorumView };
  'speaker:request': { requestId: string };
  'speaker:withdraw': Record<never, never>;
  'speaker:grant': Record<never, never>;
  'speaker:end': Record<never, never>;
  'speaker:reorder': Record<never, never>;
  'poll:create': { poll: PollView };
  'poll:open': { poll: PollView };
  'poll:close': { poll: PollView };
  'poll:cancel': { poll: PollView };
  'poll:reopen': { poll: PollView };
  'poll:edit': { poll: PollView };
  'poll:delete': { pollId: string };
  /** Voting members without a ballot in this poll, by name (who voted is not secret; what is). */
  'poll:result': { poll: PollView };
  'poll:pending': { pollId: string; notVoted: { userId: string; displayName: string }[] };
  /** The poll, closed with the paper figures. */
  'poll:paper': { poll: PollView };
  /** duplicate = this ballot id was already counted (a retry); the effect happened exactly once. */
  'ballot:cast': { ballotId: string; duplicate: boolean };
}

export type ClientToServerEvents = {
  [K in keyof AckBodies]: (payload: In<K>, ack: AckFn<AckBodies[K]>) => void;
};

export interface TallyUpdate {
  meetingId: string;
  pollId: string;
  progress: PollProgress;
  /** null when the tally is hidden from this audience until close. */
  counts: Record<string, number> | null;
}

export interface ServerToClientEvents {
  /** Meeting status, pause or current agenda item changed. */
  'meeting:state': (m: MeetingState) => void;
  /** One attendance entry changed; quorum recomputed. */
  'attendance:update': (u: { meetingId: string; entry: AttendanceEntry; quorum: QuorumView }) => void;
  /** The whole speaker queue (small; order matters). */
  'speakers:update': (u: { meetingId: string; speakers: SpeakerView[] }) => void;
  /** A poll was created, opened, closed, cancelled (closed polls carry `result`). */
  'poll:update': (p: PollView) => void;
  /** A draft poll was deleted (sent to chair and secretary, like drafts). */
  'poll:deleted': (d: { meetingId: string; pollId: string }) => void;
  /** Running progress, coalesced: at most one per poll per ~50 ms per server node. */
  'poll:tally': (t: TallyUpdate) => void;
  /** Sent to the voter's own sockets (other devices/tabs of the same user). */
  'ballot:mine': (b: MyBallot & { meetingId: string }) => void;
  /** A document of the meeting was added, updated (metadata, signed revision) or revoked: re-read the list over REST. */
  'documents:changed': (d: DocumentsChanged) => void;
}

export interface InterServerEvents {
  /** A node committed ballots of these polls since its last notice: every node flushes their tallies to its own sockets. */
  'tally:dirty': (polls: [meetingId: string, pollId: string][]) => void;
  /** Ballots committed on a node in one event-loop turn: each node tells the voters' sockets it holds (`ballot:mine`). */
  'ballots:mine': (notices: (MyBallot & { meetingId: string; userId: string })[]) => void;
  /** A REST change was committed on a node: every node's cached join snapshots are stale (snapshot-cache.ts). */
  'snapshots:stale': () => void;
}

/** Per-socket data set at handshake (restored by connection state recovery). */
export interface SocketData {
  userId: string;
  /** sha256 of the session token (never the token): logout closes this session's sockets. */
  sessionId: string;
  username: string;
  displayName: string;
}

export type { ErrorBody };
