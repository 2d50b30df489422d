import { describe, expect, it } from 'vitest';
import { ReadBatch } from '../../server/db/read-batch';

describe('ReadBatch', () => {
  it('answers the reads of one turn with one read, each with its own key; nothing is kept', async () => {
    const calls: string[][] = [];
    const b = new ReadBatch<string, string>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `v-${k}`]));
    });
    const out = await Promise.all([b.load('a'), b.load('b'), b.load('a'), b.load('missing')]);
    expect(out).toEqual(['v-a', 'v-b', 'v-a', undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    // A later read goes to the source again.
    expect(await b.load('a')).toBe('v-a');
    expect(calls).toHaveLength(2);
  });

  it('collects the reads asked for while a statement is out into the next one', async () => {
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const b = new ReadBatch<number, number>(async (keys) => {
      calls.push(keys);
      if (calls.length === 1) {
        await gate;
      }
      return new Map(keys.map((k) => [k, k * 10]));
    });
    const first = b.load(1);
    await new Promise((r) => setTimeout(r, 20));
    // The first statement is still out: these three, asked over several turns, wait for it and go together.
    const later = [b.load(2), b.load(3)];
    await new Promise((r) => setTimeout(r, 5));
    later.push(b.load(4));
    expect(calls).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a large batch and fails only the reads of a failed chunk; the next batch still runs', async () => {
    const b = new ReadBatch<number, number>(async (keys) => {
      if (keys.includes(3)) {
        throw new Error('boom');
      }
      return new Map(keys.map((k) => [k, k * 10]));
    }, 2);
    const out = await Promise.allSettled([1, 2, 3, 4].map((k) => b.load(k)));
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([10, 20, 'failed', 'failed']);
    expect(await b.load(5)).toBe(50);
  });
});
