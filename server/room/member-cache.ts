import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client';
import { loadMember, type Member } from '../meetings/member';

/**
 * Members of this node's sockets for `ballot:cast` only (no 3-table read per ballot). A hint
 * for the cheap checks before a ballot is queued (role × event, signed-ballot rule); the ballot
 * transaction re-checks in the database that the voter is still a voting member of the meeting and
 * the meeting's signed-ballot rule (BallotQueue), so a removed member cannot vote however stale this
 * is. Entries live `ttlMs` (5 min: a delegate votes every few minutes, each vote should be a hit);
 * the least recently used go first past `maxEntries`; concurrent misses for one member share one read
 * and a failed read (not a member) is not kept.
 */
export class MemberCache {
  private readonly members: LRUCache<string, Member, { meetingId: string; userId: string }>;

  constructor(
    private readonly db: Db,
    ttlMs = 5 * 60_000,
    maxEntries = 50_000,
  ) {
    this.members = new LRUCache({
      max: maxEntries,
      ttl: ttlMs,
      fetchMethod: (_key, _stale, { context }) => loadMember(this.db, context.meetingId, context.userId),
      // put() (a join) may replace a member whose read is in flight for a ballot: that read then
      // still answers its ballot instead of failing with lru-cache's "replaced" abort (INTERNAL).
      ignoreFetchAbort: true,
    });
  }

  /** A member just read from the database (meeting:join): the voter's first ballot then reads nothing. */
  put(m: Member): void {
    this.members.set(`${m.meeting.id}:${m.userId}`, m);
  }

  async get(meetingId: string, userId: string): Promise<Member> {
    return (await this.members.fetch(`${meetingId}:${userId}`, { context: { meetingId, userId } })) ?? loadMember(this.db, meetingId, userId);
  }
}
