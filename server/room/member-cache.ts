import type { Db } from '../db/client';
import { loadMember, type Member } from '../meetings/member';

/**
 * Members of this node's sockets for `ballot:cast` only (no 3-table read per ballot). A hint
 * for the cheap checks before a ballot is queued (role × event, signed-ballot rule); the ballot
 * transaction re-checks in the database that the voter is still a voting member of the meeting and
 * the meeting's signed-ballot rule (BallotQueue), so a removed member cannot vote however stale this
 * is. Entries live `ttlMs` (5 min: a delegate votes every few minutes, each vote should be a hit).
 */
export class MemberCache {
  private readonly members = new Map<string, { m: Member; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 50_000,
  ) {}

  async get(meetingId: string, userId: string): Promise<Member> {
    const key = `${meetingId}:${userId}`;
    const hit = this.members.get(key);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) {
      return hit.m;
    }
    const m = await loadMember(this.db, meetingId, userId);
    if (this.members.size >= this.maxEntries) {
      this.members.clear();
    }
    this.members.set(key, { m, at: now });
    return m;
  }
}
