import { performance } from 'node:perf_hooks';
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
    }, { maxKeys: 2 });
    const out = await Promise.allSettled([1, 2, 3, 4].map((k) => b.load(k)));
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([10, 20, 'failed', 'failed']);
    expect(await b.load(5)).toBe(50);
  });

  it('with gatherMs, holds a batch asked for soon after the previous one and collects what arrives meanwhile; an isolated read goes at once', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const sent: { keys: number[]; at: number }[] = [];
    const b = new ReadBatch<number, number>(
      async (keys) => {
        sent.push({ keys, at: performance.now() });
        return new Map(keys.map((k) => [k, k * 10]));
      },
      { gatherMs: 300 },
    );
    const t0 = performance.now();
    expect(await b.load(1)).toBe(10);
    // The first statement has answered, but it began less than 300 ms ago: these wait for its 300 ms and go together.
    // (Timers fire in order of their deadlines, with promise continuations in between: load(3) joins before the batch goes.)
    const busy = [b.load(2)];
    await sleep(30);
    busy.push(b.load(3));
    expect(sent).toHaveLength(1);
    expect(await Promise.all(busy)).toEqual([20, 30]);
    expect(sent.map((s) => s.keys)).toEqual([[1], [2, 3]]);
    const [first, second] = sent;
    // "At once" and "after the window" are told apart with a wide margin: a loaded machine may delay a timer by tens of ms.
    expect((first?.at ?? Infinity) - t0).toBeLessThan(150);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(295);
    // Quiet again: the next read does not wait.
    await sleep(350);
    const t1 = performance.now();
    expect(await b.load(4)).toBe(40);
    expect((sent[2]?.at ?? Infinity) - t1).toBeLessThan(150);
  });
});
