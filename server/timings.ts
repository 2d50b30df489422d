import { createHistogram, monitorEventLoopDelay, performance, type RecordableHistogram } from 'node:perf_hooks';

export interface TimingSummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * How long this node took to answer room events (the event handed to its handler → its ack written),
 * per event, and how late its event loop ran, over the room's life; logged when the room closes
 * ("room timings"). What a client measures also holds the network and its own device's delays: with
 * both, a slow ack can be told apart (bench/lib/server-procs.ts reads the line). An event waits in
 * the socket before its handler sees it while the loop is late: the loop's delay covers that part.
 * Node's native histograms (perf_hooks): recording is a call into C++, no allocation per event.
 */
export class RoomTimings {
  private readonly events = new Map<string, RecordableHistogram>();
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  /** A clock reading to pass to `answered`. */
  start(): number {
    return performance.now();
  }

  answered(event: string, startedAt: number): void {
    let h = this.events.get(event);
    if (!h) {
      h = createHistogram();
      this.events.set(event, h);
    }
    // Microseconds, at least 1 (the histogram records positive integers).
    h.record(Math.max(1, Math.round((performance.now() - startedAt) * 1000)));
  }

  summary(): { events: Record<string, TimingSummary>; loopDelay: Omit<TimingSummary, 'count'> } {
    const ms = (us: number): number => Math.round(us) / 1000;
    const events: Record<string, TimingSummary> = {};
    for (const [event, h] of [...this.events].sort(([a], [b]) => a.localeCompare(b))) {
      events[event] = { count: h.count, p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
    }
    // The loop's histogram is in nanoseconds.
    const loopDelay = { p50Ms: ms(this.loop.percentile(50) / 1000), p99Ms: ms(this.loop.percentile(99) / 1000), maxMs: ms(this.loop.max / 1000) };
    return { events, loopDelay };
  }

  close(): void {
    this.loop.disable();
  }
}
