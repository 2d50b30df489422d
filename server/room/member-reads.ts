import type { Db } from '../db/client';
import { ReadBatch, STORM_GATHER_MS } from '../db/read-batch';
import { notFound } from '../errors';
import { memberKey, memberPairOf, readMemberPairs, type Member } from '../meetings/member';

/** How long the memberships read with a socket's handshake may stand in for its join's read. */
export const HANDSHAKE_FRESH_MS = 1_000;

/**
 * Fresh membership reads for room events (every event but ballot:cast, which takes MemberCache's
 * hint): the reads asked for together go out as one statement, whatever their meetings
 * (server/db/read-batch.ts), each still read after its event arrived; under a storm (300 chairs
 * opening their votes at once) one asked within STORM_GATHER_MS of the last statement waits for it. A
 * connect storm of joins then costs a few statements per turn instead of one per socket.
 * A socket's first event, when it is a join, uses the membership read in the handshake's own statement
 * (server/room/handshake-reads.ts) instead, on the same terms as a shared snapshot (snapshot-cache.ts):
 * only while nothing in the meeting changed since that read began (no broadcast to its rooms, no room
 * event, no mutating REST request on this node), and for at most HANDSHAKE_FRESH_MS (what no broadcast
 * announces). It is then what a read at the join would have returned; the next event reads again.
 */
interface Primed {
  readonly at: number;
  readonly live: ReadonlyMap<string, Member>;
  readonly current: (meetingId: string) => boolean;
}

export class MemberReads {
  private readonly batch: ReadBatch<string, Member>;
  private readonly primed = new WeakMap<object, Primed>();

  constructor(db: Db) {
    this.batch = new ReadBatch((keys) => readMemberPairs(db, keys.map(memberPairOf)), { gatherMs: STORM_GATHER_MS });
  }

  /** The memberships read with this socket's handshake (meetings in progress); `current` says whether a meeting is unchanged since. */
  prime(socket: object, live: ReadonlyMap<string, Member>, current: (meetingId: string) => boolean): void {
    this.primed.set(socket, { at: Date.now(), live, current });
  }

  /**
   * The user as a member of the meeting; NOT_FOUND like loadMember (server/meetings/member.ts).
   * `first`: the socket's event, which takes its handshake's read if it is a join and that read still holds.
   */
  async get(meetingId: string, userId: string, first?: { readonly socket: object; readonly join: boolean }): Promise<Member> {
    const primed = first ? this.primed.get(first.socket) : undefined;
    if (first && primed) {
      this.primed.delete(first.socket);
      const m = primed.live.get(meetingId);
      if (first.join && m && m.userId === userId && Date.now() - primed.at <= HANDSHAKE_FRESH_MS && primed.current(meetingId)) {
        return m;
      }
    }
    const m = await this.batch.load(memberKey(meetingId, userId));
    if (!m) {
      throw notFound('Meeting');
    }
    return m;
  }
}
