import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../server/db/turn-batch';

describe('TurnBatch', () => {
  it('answers the reads of one turn with one read, each with its own key', async () => {
    const calls: string[][] = [];
    const b = new TurnBatch<string, string>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `v-${k}`]));
    });
    const out = await Promise.all([b.load('a'), b.load('b'), b.load('a'), b.load('missing')]);
    expect(out).toEqual(['v-a', 'v-b', 'v-a', undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    // A later turn reads again: nothing is kept.
    expect(await b.load('a')).toBe('v-a');
    expect(calls).toHaveLength(2);
  });

  it('splits a large turn and fails only the reads of a failed chunk', async () => {
    const b = new TurnBatch<number, number>(async (keys) => {
      if (keys.includes(3)) {
        throw new Error('boom');
      }
      return new Map(keys.map((k) => [k, k * 10]));
    }, 2);
    const out = await Promise.allSettled([1, 2, 3, 4].map((k) => b.load(k)));
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([10, 20, 'failed', 'failed']);
  });
});
