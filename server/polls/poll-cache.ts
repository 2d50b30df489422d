import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client';
import { loadPoll, type PollRow } from './tally';

/**
 * Open polls of this node in memory (no poll read per ballot or per tally flush). Only OPEN
 * rows are cached; open/close/cancel on this node update it. It is a hint, never the truth: another
 * node may close or cancel a poll we still hold as open, so the ballot transaction re-reads the
 * poll's status under FOR SHARE (BallotQueue) and a refused ballot evicts the entry. An open poll's
 * settings never change (only drafts are edited), so a cached open row can only be stale in status.
 * The first ballots of a burst that miss share one read (lru-cache `fetch`); a `put` while that read
 * is in flight wins over it.
 */
export class PollCache {
  private readonly rows: LRUCache<string, PollRow, { meetingId: string }>;

  constructor(
    private readonly db: Db,
    ttlMs = 30_000,
    maxEntries = 10_000,
  ) {
    this.rows = new LRUCache({
      max: maxEntries,
      ttl: ttlMs,
      fetchMethod: (pollId, _stale, { context }) => loadPoll(this.db, context.meetingId, pollId),
    });
  }

  async get(meetingId: string, pollId: string): Promise<PollRow | undefined> {
    const hit = this.rows.get(pollId);
    if (hit && hit.meetingId !== meetingId) {
      // Asked under another meeting: answer from the database, as that meeting sees it.
      return loadPoll(this.db, meetingId, pollId);
    }
    const row = hit ?? (await this.rows.fetch(pollId, { context: { meetingId } }));
    if (row && row.status !== 'open') {
      this.rows.delete(pollId);
    }
    return row;
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
