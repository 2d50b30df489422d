import { LRUCache } from 'lru-cache';
import { anyUuid } from '../db/batch-sql';
import type { Db } from '../db/client';
import { ReadBatch, STORM_GATHER_MS } from '../db/read-batch';
import { polls } from '../db/schema';
import type { PollRow } from './tally';

/**
 * Open polls of this node in memory (no poll read per ballot or per tally flush). Only OPEN
 * rows are cached; open/close/cancel on this node update it. It is a hint, never the truth: another
 * node may close or cancel a poll we still hold as open, so the ballot transaction re-reads the
 * poll's status under FOR SHARE (BallotQueue) and a refused ballot evicts the entry. An open poll's
 * settings never change (only drafts are edited), so a cached open row can only be stale in status.
 * The first ballots of a burst that miss share one read (lru-cache `fetch`); a `put` while that read
 * is in flight wins over it. The misses of different polls share statements too (ReadBatch, spaced
 * by STORM_GATHER_MS): with several nodes every poll opened on another node is a miss here at its
 * first ballot, and 300 polls opened at once were 300 statements in the busiest second of the round
 * (docs/benchmarks.md "Live room, sixteenth round").
 */
export class PollCache {
  private readonly rows: LRUCache<string, PollRow>;
  private readonly misses: ReadBatch<string, PollRow>;

  constructor(
    private readonly db: Db,
    ttlMs = 30_000,
    maxEntries = 10_000,
  ) {
    this.rows = new LRUCache({
      max: maxEntries,
      ttl: ttlMs,
      fetchMethod: (pollId) => this.misses.load(pollId),
    });
    this.misses = new ReadBatch(
      async (ids) => {
        const rows = await this.db.select().from(polls).where(anyUuid(polls.id, ids));
        return new Map(rows.map((r) => [r.id, r]));
      },
      { gatherMs: STORM_GATHER_MS },
    );
  }

  async get(meetingId: string, pollId: string): Promise<PollRow | undefined> {
    const row = this.rows.get(pollId) ?? (await this.rows.fetch(pollId));
    if (row && row.status !== 'open') {
      this.rows.delete(pollId);
    }
    // A poll never moves to another meeting: asked under any other, it is not there.
    return row?.meetingId === meetingId ? row : undefined;
  }

  /** Records a poll's new state (open → cached, anything else → dropped). */
  put(row: PollRow | undefined): void {
    if (!row) {
      return;
    }
    if (row.status === 'open') {
      this.rows.set(row.id, row);
    } else {
      this.rows.delete(row.id);
    }
  }

  forget(pollId: string): void {
    this.rows.delete(pollId);
  }
}
