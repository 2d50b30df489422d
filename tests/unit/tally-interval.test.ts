import { describe, expect, it } from 'vitest';
import { TallyBroadcaster, type LoadMeter } from '../../server/room/tally-broadcaster';

/** A hand-driven event loop: `busy`/`rest` add to its cumulative active/idle time, no wall clock involved. */
function fakeLoop(): { meter: LoadMeter; busy: (ms: number) => void; rest: (ms: number) => void } {
  const t = { active: 0, idle: 0 };
  return {
    meter: () => ({ ...t }),
    busy: (ms) => {
      t.active += ms;
    },
    rest: (ms) => {
      t.idle += ms;
    },
  };
}

describe('tally coalescing interval', () => {
  it('stretches while the event loop is saturated and comes back when it is idle', () => {
    const loop = fakeLoop();
    const t = new TallyBroadcaster({} as never, {} as never, {} as never, {} as never, false, 50, 2_000, 1_000, 40, 1_000, loop.meter);
    loop.rest(250);
    expect(t.currentIntervalMs()).toBe(50);
    loop.busy(300);
    expect(t.currentIntervalMs()).toBe(100);
    loop.busy(300);
    expect(t.currentIntervalMs()).toBe(200);
    loop.rest(300);
    expect(t.currentIntervalMs()).toBe(100);
    loop.rest(300);
    expect(t.currentIntervalMs()).toBe(50);
    t.close();
  });

  it('judges only windows of at least 200 ms, and never goes past the bounds', () => {
    const loop = fakeLoop();
    const t = new TallyBroadcaster({} as never, {} as never, {} as never, {} as never, false, 50, 2_000, 1_000, 40, 1_000, loop.meter);
    loop.busy(150);
    expect(t.currentIntervalMs()).toBe(50);
    loop.busy(100);
    expect(t.currentIntervalMs()).toBe(100);
    for (let i = 0; i < 10; i++) {
      loop.busy(250);
      t.currentIntervalMs();
    }
    expect(t.currentIntervalMs()).toBe(1_000);
    t.close();
  });
});
