/**
 * The newest fan-out of one kind per key (a poll, a poll's audience). A fan-out goes out in slices
 * (fanout.ts), so a newer one can start while an older one is still sending: the older one stops at
 * its next slice, and no socket gets older state after newer. Used by poll:update broadcasts
 * (broadcast.ts) and tally flushes (tally-broadcaster.ts).
 */
export class NewestFanouts {
  private seq = 0;
  private readonly newest = new Map<string, number>();

  /** A turn, in start order. */
  turn(): number {
    return ++this.seq;
  }

  /**
   * Claims `key` for `turn`: null when a later turn already claimed it; otherwise a check that stays
   * true until a later turn claims the key or the key is forgotten.
   */
  claim(key: string, turn: number): (() => boolean) | null {
    if ((this.newest.get(key) ?? 0) > turn) {
      return null;
    }
    this.newest.set(key, turn);
    return () => this.newest.get(key) === turn;
  }

  /** Nothing of `key` is being sent any more (a whole state went out, or the poll is over): claims in flight turn false. */
  forget(key: string): void {
    this.newest.delete(key);
  }

  /** Keys held (tests: nothing is kept for a poll that is over). */
  get size(): number {
    return this.newest.size;
  }
}
