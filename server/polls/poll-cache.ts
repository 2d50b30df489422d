import type { Db } from '../db/client';
import { loadPoll, type PollRow } from './tally';

/**
 * Open polls of this node in memory (no poll read per ballot or per tally flush). Only OPEN
 * rows are cached; open/close/cancel on this node update it. It is a hint, never the truth: another
 * node may close or cancel a poll we still hold as open, so the ballot transaction re-reads the
 * poll's status under FOR SHARE (BallotQueue) and a refused ballot evicts the entry. An open poll's
 * settings never change (only drafts are edited), so a cached open row can only be stale in status.
 */
export class PollCache {
  private readonly rows = new Map<string, { row: PollRow; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
  ) {}

  async get(meetingId: string, pollId: string): Promise<PollRow | undefined> {
    const hit = this.rows.get(pollId);
    if (hit && hit.row.meetingId === meetingId && Date.now() - hit.at < this.ttlMs) {
      return hit.row;
    }
    const row = await loadPoll(this.db, meetingId, pollId);
    this.put(row);
    return row;
  }

  /** Records a poll's new state (open → cached, anything else → dropped). */
  put(row: PollRow | undefined): void {
    if (!row) {
      return;
    }
    if (row.status === 'open') {
      this.rows.set(row.id, { row, at: Date.now() });
    } else {
      this.rows.delete(row.id);
    }
  }

  forget(pollId: string): void {
    this.rows.delete(pollId);
  }
}
