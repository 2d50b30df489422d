import { z } from 'zod';
import type { Logger } from 'pino';
import { MyBallot } from '../../shared/room/snapshot';
import { rooms, type RoomIo } from './io';

/**
 * A peer's batch of notices over Redis, parsed like any other input from outside this process: the
 * batch here, and each notice (Notice) before it is used. Only the notices of voters with sockets on
 * this node are used, and parsed: with one device per delegate that is none, and parsing every
 * notice of every peer ballot was ≈ 6 % of a node's CPU while 10,000 delegates voted on two nodes
 * (docs/benchmarks.md "Live room, fifteenth round").
 */
const Notices = z.tuple([z.array(z.unknown()).max(10_000)]);
const Notice = MyBallot.extend({ meetingId: z.uuid(), userId: z.uuid() }).strict();
type Notice = z.infer<typeof Notice>;

/** The voter a notice names, looked up before the notice is parsed; undefined when it names none. */
function voterOf(notice: unknown): string | undefined {
  return typeof notice === 'object' && notice !== null && 'userId' in notice && typeof notice.userId === 'string' ? notice.userId : undefined;
}

/**
 * `ballot:mine`: the voter's other sockets (a second device or tab) learn that they voted. On a single
 * node that is an emit to the voter's room, which never leaves the process. With peers (Redis
 * adapter) the same emit is a message on the shared stream that every node writes, reads and decodes:
 * one per ballot was ≈ 10 % of each node's CPU with 10,000 delegates on two nodes (docs/benchmarks.md
 * "Live room, seventh round"). So each node emits to its own sockets, and the notices of one
 * event-loop turn go to the peers as ONE inter-server message (`ballots:mine`).
 */
export class MyBallotNotices {
  private pending: Notice[] = [];

  constructor(
    private readonly io: RoomIo,
    private readonly peers: boolean,
    private readonly log: Logger,
  ) {}

  /**
   * The voter's sockets on this node, if any. Looked up before emitting: an emit encodes its packet
   * even when the room is empty or holds only the voting socket, as it does for nearly every ballot
   * (one device per delegate).
   */
  private localSockets(userId: string): ReadonlySet<string> | undefined {
    return this.io.of('/').adapter.rooms.get(rooms.user(userId));
  }

  /** After `socketId` cast a ballot (the socket itself got its ack). */
  tell(socketId: string, notice: Notice): void {
    const { userId, ...body } = notice;
    const here = this.localSockets(userId);
    if (here && (here.size > 1 || !here.has(socketId))) {
      this.io.local.to(rooms.user(userId)).except(socketId).emit('ballot:mine', body);
    }
    if (!this.peers) {
      return;
    }
    this.pending.push(notice);
    if (this.pending.length === 1) {
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.io.serverSideEmit('ballots:mine', batch);
      });
    }
  }

  /**
   * A peer's batch: to this node's sockets of each voter (all of them: the voting socket is on the
   * peer). A malformed notice is dropped alone; the batch's others still go out.
   */
  receive(args: unknown[]): void {
    const parsed = Notices.safeParse(args);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues }, 'malformed ballots:mine from a peer ignored');
      return;
    }
    for (const raw of parsed.data[0]) {
      const voter = voterOf(raw);
      if (voter !== undefined && !this.localSockets(voter)?.size) {
        continue;
      }
      const notice = Notice.safeParse(raw);
      if (!notice.success) {
        this.log.warn({ issues: notice.error.issues }, 'malformed notice in ballots:mine from a peer ignored');
        continue;
      }
      const { userId, ...body } = notice.data;
      this.io.local.to(rooms.user(userId)).emit('ballot:mine', body);
    }
  }
}
