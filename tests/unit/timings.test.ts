import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RoomTimings } from '../../server/timings';

describe('RoomTimings', () => {
  it('summarizes the answer times of each event in milliseconds, sorted by event', () => {
    const t = new RoomTimings();
    try {
      const now = performance.now();
      for (const ms of [10, 20, 30, 40]) {
        t.answered('ballot:cast', now - ms);
      }
      t.answered('meeting:join', now - 5);
      const s = t.summary();
      expect(Object.keys(s.events)).toEqual(['ballot:cast', 'meeting:join']);
      const cast = s.events['ballot:cast'];
      expect(cast?.count).toBe(4);
      // Recorded a little after `now`: never less than the ages given, and within the histogram's precision.
      expect(cast?.maxMs).toBeGreaterThanOrEqual(40);
      expect(cast?.maxMs).toBeLessThan(60);
      expect(cast?.p50Ms).toBeGreaterThanOrEqual(20);
      expect(cast?.p50Ms).toBeLessThan(cast?.maxMs ?? 0);
      expect(s.events['meeting:join']?.count).toBe(1);
      expect(s.loopDelay.maxMs).toBeGreaterThanOrEqual(0);
    } finally {
      t.close();
    }
  });
});
