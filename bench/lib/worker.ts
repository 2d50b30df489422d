// bench:votes client worker: hosts a share of the simulated delegates in its own process, so the
// clients never run inside the server's process. Driven over IPC by bench/votes.ts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SimDelegate } from './delegate';
import { FromWorker, ToWorker } from './ipc';

const delegates: SimDelegate[] = [];
let spreadMs = 0;
let connectConcurrency = 1;
/**
 * How late this worker's event loop ran, from the end of the previous round to its last ack: a
 * ballot's ack is timed when this loop gets to it, so a worker that waited for a core adds its wait
 * to every latency it reports (the clients run at a lower priority than the servers, see args.ts).
 */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

function send(m: FromWorker): void {
  process.send?.(FromWorker.parse(m));
}

/** Polls the condition every 10 ms (cheap next to per-event checks over thousands of clients). */
function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = (): void => {
      if (cond() || Date.now() >= deadline) {
        resolve();
        return;
      }
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** `connect` (or `reconnect`) every delegate, `concurrency` at a time. */
async function connectAll(concurrency: number, how: 'connect' | 'reconnect'): Promise<{ connectMs: number[]; failures: string[]; retries: number }> {
  const connectMs: number[] = [];
  const failures: string[] = [];
  let retries = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      const d = delegates[next++];
      if (!d) {
        return;
      }
      // A real client retries a refused or timed-out handshake (socket.io's connect timeout is 20 s,
      // and a server busy building snapshots for hundreds of joins can exceed it).
      for (let attempt = 1; ; attempt++) {
        try {
          connectMs.push(await (how === 'connect' ? d.connect() : d.reconnect()));
          break;
        } catch (err) {
          if (attempt >= 5) {
            failures.push(`${d.spec.userId}: ${err instanceof Error ? err.message : String(err)}`);
            break;
          }
          retries += 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { connectMs, failures, retries };
}

/** The delegates of the meetings in `polls` (meetingId → pollId), each with its poll id. */
function involved(polls: Record<string, string>): [SimDelegate, string][] {
  const out: [SimDelegate, string][] = [];
  for (const d of delegates) {
    const pollId = polls[d.spec.meetingId];
    if (pollId) {
      out.push([d, pollId]);
    }
  }
  return out;
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.t) {
    case 'init': {
      spreadMs = msg.spreadMs;
      connectConcurrency = msg.connectConcurrency;
      for (const c of msg.clients) {
        delegates.push(new SimDelegate(c, spreadMs));
      }
      send({ t: 'ready', ...(await connectAll(connectConcurrency, 'connect')) });
      return;
    }
    case 'reconnect': {
      send({ t: 'ready', ...(await connectAll(connectConcurrency, 'reconnect')) });
      return;
    }
    case 'votes': {
      const list = involved(msg.polls);
      await waitUntil(() => list.every(([d, p]) => d.track(p).ack !== null), msg.timeoutMs);
      const acks = list.flatMap(([d, p]) => {
        const a = d.track(p).ack;
        return a ? [a] : [];
      });
      send({
        t: 'votes',
        openSeen: list.map(([d, p]) => ({ pollId: p, at: d.track(p).openAt })),
        acks,
        unanswered: list.length - acks.length,
        // Nanoseconds; the histogram's floor is its resolution.
        loopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 },
      });
      return;
    }
    case 'tally': {
      const list = involved(msg.polls);
      const want = (p: string): number => msg.expected[p] ?? Number.MAX_SAFE_INTEGER;
      await waitUntil(() => list.every(([d, p]) => d.reached(p, want(p)) !== null), msg.timeoutMs);
      send({ t: 'tally', reached: list.map(([d, p]) => ({ pollId: p, at: d.reached(p, want(p)) })) });
      return;
    }
    case 'closed': {
      const list = involved(msg.polls);
      await waitUntil(() => list.every(([d, p]) => d.track(p).closedAt !== null), msg.timeoutMs);
      send({ t: 'closed', seen: list.map(([d, p]) => ({ pollId: p, at: d.track(p).closedAt, counts: d.track(p).counts, tallies: d.track(p).tallies })) });
      loopDelay.reset();
      return;
    }
    case 'stop': {
      for (const d of delegates) {
        d.close();
      }
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200).unref();
      return;
    }
  }
}

process.on('message', (raw: unknown) => {
  const msg = ToWorker.safeParse(raw);
  if (!msg.success) {
    send({ t: 'error', message: `bad message: ${msg.error.message}` });
    return;
  }
  handle(msg.data).catch((err: unknown) => send({ t: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
});
// The orchestrator is gone (crash, timeout): never linger.
process.on('disconnect', () => process.exit(0));
send({ t: 'up' });
