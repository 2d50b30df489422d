import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

describe('notices to peer nodes', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The only part of socket.io this rule uses: what goes to the other nodes (each notice's poll ids). */
  function peerIo(): { io: never; notices: string[][]; told: () => number } {
    const notices: string[][] = [];
    const io = {
      serverSideEmit: (event: string, polls: [string, string][]) => {
        expect(event).toBe('tally:dirty');
        notices.push(polls.map(([m, p]) => {
          expect(m).toBe(meeting);
          return p;
        }));
      },
    };
    return { io: io as never, notices, told: () => notices.length };
  }
  const polls = { get: () => Promise.resolve(undefined), forget: () => undefined } as never;
  /** A node that has peers (the Redis adapter), with the production intervals. */
  const node = (io: never, meter: LoadMeter) => new TallyBroadcaster({} as never, io, {} as never, polls, true, 50, 2_000, 1_000, 20, 1_000, meter);
  const meeting = '00000000-0000-4000-8000-000000000001';
  const poll = '00000000-0000-4000-8000-000000000002';

  it('follows every commit with a notice sent after it, at most one per interval', () => {
    const loop = fakeLoop();
    const { io, told } = peerIo();
    const t = node(io, loop.meter);
    t.schedule(meeting, poll);
    // Due at once, but sent after this turn (the rest of a batch's commits go with it).
    expect(told()).toBe(0);
    vi.advanceTimersByTime(0);
    expect(told()).toBe(1);
    // Committed while this node's own flush is pending: the peers must still hear of it, later.
    vi.advanceTimersByTime(10);
    t.schedule(meeting, poll);
    t.schedule(meeting, poll);
    expect(told()).toBe(1);
    vi.advanceTimersByTime(39);
    expect(told()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(told()).toBe(2);
    // Nothing new committed: no more notices.
    vi.advanceTimersByTime(500);
    expect(told()).toBe(2);
    // A peer's own notice is never echoed back.
    t.schedule(meeting, poll, true);
    vi.advanceTimersByTime(500);
    expect(told()).toBe(2);
    t.schedule(meeting, poll);
    vi.advanceTimersByTime(0);
    expect(told()).toBe(3);
    t.close();
  });

  it('names every poll with commits since the last notice once, in one notice per interval', () => {
    const { io, notices } = peerIo();
    const t = node(io, fakeLoop().meter);
    const ids = Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of [...ids, ...ids]) {
      t.schedule(meeting, id);
    }
    vi.advanceTimersByTime(0);
    expect(notices).toEqual([ids]);
    vi.advanceTimersByTime(20);
    t.schedule(meeting, ids[7] ?? '');
    t.schedule(meeting, ids[3] ?? '');
    vi.advanceTimersByTime(29);
    expect(notices).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(notices[1]).toEqual([ids[7], ids[3]]);
    t.close();
  });

  it('spaces notices by the stretched interval while the event loop is saturated', () => {
    const loop = fakeLoop();
    const { io, told } = peerIo();
    const t = node(io, loop.meter);
    loop.busy(300);
    t.schedule(meeting, poll); // the interval doubles to 100 ms here
    vi.advanceTimersByTime(0);
    expect(told()).toBe(1);
    vi.advanceTimersByTime(60);
    t.schedule(meeting, poll);
    vi.advanceTimersByTime(39);
    expect(told()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(told()).toBe(2);
    t.close();
  });

  it('leaves a poll out of the next notice once it is forgotten (closed), and sends none for nothing', () => {
    const { io, notices } = peerIo();
    const t = node(io, fakeLoop().meter);
    const other = '00000000-0000-4000-8000-000000000003';
    t.schedule(meeting, poll);
    vi.advanceTimersByTime(0);
    t.schedule(meeting, poll);
    t.schedule(meeting, other);
    t.forget(poll);
    vi.advanceTimersByTime(200);
    expect(notices).toEqual([[poll], [other]]);
    t.schedule(meeting, poll);
    t.forget(poll);
    vi.advanceTimersByTime(200);
    expect(notices).toHaveLength(2);
    t.close();
  });
});

describe('what counts as a pause before delegates get a tally', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const poll = '00000000-0000-4000-8000-000000000003';
  /** quietMs 20, delegateMaxMs 1,000 (the production values). */
  const node = () => new TallyBroadcaster({} as never, {} as never, {} as never, {} as never, false, 50, 2_000, 1_000, 20, 1_000, fakeLoop().meter);
  const arrivals = (t: TallyBroadcaster, gapMs: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      t.received(poll);
      vi.advanceTimersByTime(gapMs);
    }
  };

  it('is quietMs in a burst, whose ballots come about a millisecond apart', () => {
    const t = node();
    expect(t.pauseMs(poll)).toBe(20);
    arrivals(t, 1, 200);
    expect(t.pauseMs(poll)).toBe(20);
    t.close();
  });

  it('follows the pace of a small meeting, whose ballots come ~150 ms apart, so not every gap reads as a pause', () => {
    const t = node();
    arrivals(t, 150, 30);
    expect(t.pauseMs(poll)).toBeGreaterThan(550);
    expect(t.pauseMs(poll)).toBeLessThanOrEqual(600);
    t.close();
  });

  it('never waits longer than delegateMaxMs, and forgets the pace with the poll', () => {
    const t = node();
    arrivals(t, 2_000, 5);
    expect(t.pauseMs(poll)).toBe(1_000);
    t.forget(poll);
    expect(t.pauseMs(poll)).toBe(20);
    t.close();
  });

  it('forgets the pace of a poll without ballots for an hour (closed on another node, say), and only then', () => {
    const t = node();
    arrivals(t, 150, 30);
    expect(t.pauseMs(poll)).toBeGreaterThan(550);
    vi.advanceTimersByTime(50 * 60_000);
    expect(t.pauseMs(poll)).toBeGreaterThan(550);
    vi.advanceTimersByTime(20 * 60_000);
    expect(t.pauseMs(poll)).toBe(20);
    t.close();
  });
});

describe('how often delegates get progress while ballots keep coming', () => {
  it('is delegateMaxMs on a calm node, stretched by the load factor of the interval, at most delegateStretchMs', () => {
    const loop = fakeLoop();
    const t = new TallyBroadcaster({} as never, {} as never, {} as never, {} as never, false, 50, 2_000, 1_000, 20, 1_000, loop.meter, 5_000);
    loop.rest(250);
    t.currentIntervalMs();
    expect(t.delegatePeriodMs()).toBe(1_000);
    loop.busy(300);
    expect(t.currentIntervalMs()).toBe(100);
    expect(t.delegatePeriodMs()).toBe(2_000);
    loop.busy(300);
    t.currentIntervalMs();
    expect(t.delegatePeriodMs()).toBe(4_000);
    loop.busy(300);
    t.currentIntervalMs();
    expect(t.delegatePeriodMs()).toBe(5_000);
    for (let i = 0; i < 4; i++) {
      loop.rest(300);
      t.currentIntervalMs();
    }
    expect(t.delegatePeriodMs()).toBe(1_000);
    t.close();
  });

  it('never stretches the pause: the last ballot tally must not wait for a saturated node period', () => {
    vi.useFakeTimers();
    try {
      const loop = fakeLoop();
      const t = new TallyBroadcaster({} as never, {} as never, {} as never, {} as never, false, 50, 2_000, 1_000, 20, 1_000, loop.meter, 5_000);
      const poll = '00000000-0000-4000-8000-000000000004';
      for (let i = 0; i < 5; i++) {
        t.received(poll);
        vi.advanceTimersByTime(1_500);
      }
      expect(t.pauseMs(poll)).toBe(1_000);
      loop.busy(300);
      t.currentIntervalMs();
      loop.busy(300);
      t.currentIntervalMs();
      expect(t.delegatePeriodMs()).toBe(4_000);
      expect(t.pauseMs(poll)).toBe(1_000);
      t.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
