import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchArgs } from './args';
import { monotonicUs, type PhaseWindow } from './cpu-profile';
import { SimChair } from './chair';
import { populate, type Fixture } from './fixture';
import type { ClientSpec } from './ipc';
import { emptyObservations, runRound, TIMELINE_MS } from './rounds';
import { PgSampler } from './pg-sampler';
import { CpuWindow, readRss, startNode, type RoomTimingsLine, type ServerNode } from './server-procs';
import { maxOf, now, round, summarize } from './stats';
import { assertLoopback, prepareStorage } from './storage';
import { WorkerPool } from './workers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Teardown steps, run newest first exactly once (normal end, error, timeout or Ctrl-C). */
export class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const s of this.steps.reverse()) {
        try {
          await s();
        } catch (err) {
          process.stderr.write(`cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    })();
    return this.running;
  }
}

const log = (line: string): void => {
  process.stderr.write(`[bench:votes] ${line}\n`);
};

/**
 * Runs the whole benchmark and returns the JSON figures (with `--reference`: both servers and the
 * ratios). Each measured phase's window is added to `phases` ("ours connect", "reference rounds", …),
 * so a CPU profile can be cut to it.
 */
export async function runBench(args: BenchArgs, cleanup: Cleanup, phases: PhaseWindow[] = []): Promise<Record<string, unknown>> {
  const started = now();
  // Other processes share the cores: the 1-minute load average before and after goes with the figures.
  const loadBefore = round(loadavg()[0] ?? 0);
  const redisUrl = args.nodes > 1 ? process.env.REDIS_URL : undefined;
  if (args.nodes > 1) {
    if (!redisUrl) {
      throw new Error('--nodes > 1 needs REDIS_URL (Redis Streams adapter)');
    }
    assertLoopback(redisUrl, 'REDIS_URL');
  }
  const storage = await prepareStorage(args.storage, args.template);
  cleanup.add(() => storage.cleanup());
  // Workers load their code while the database is filled and the server starts (the connect time
  // measured later is then handshakes and joins only, not module loading).
  const pool = WorkerPool.start(Math.min(args.workers, args.delegates), args.clientNice);
  cleanup.add(() => pool.stop());

  const t = now();
  const fixture = await populate(storage, args.delegates, args.meetings);
  log(`setup: ${args.delegates} delegates, ${args.meetings} meetings on ${args.storage} in ${Math.round(now() - t)} ms`);

  const nodes: ServerNode[] = [];
  for (let i = 0; i < args.nodes; i++) {
    const node = await startNode(
      {
        root: ROOT,
        dataDir: args.nodes > 1 ? `${storage.dataDir}/node${i}` : storage.dataDir,
        databaseUrl: storage.databaseUrl,
        redisUrl,
        cpuProfDir: args.cpuProf,
        startTimeoutMs: 240_000,
      },
      i,
    );
    nodes.push(node);
    cleanup.add(() => node.stop().then(() => undefined));
  }
  log(`servers: ${nodes.map((n) => `${n.url} (pid ${n.pid})`).join(', ')}`);
  await pool.loaded();
  const ours = await measure(args, fixture, nodes, pool, storage.databaseUrl, cleanup, { server: 'ours', into: phases });
  const serverTimings: (RoomTimingsLine | null)[] = [];
  for (const n of nodes) {
    serverTimings.push((await n.stop()) ?? null);
  }
  await pool.stop();

  let reference: Figures | undefined;
  if (args.reference) {
    // The naive server (bench/reference-server.ts) on the same storage, machine, clients and window.
    const tokensFile = join(storage.dataDir, 'reference-tokens.json');
    const tokens: Record<string, { userId: string; meetingId: string; role: 'chair' | 'delegate' }> = {};
    for (const c of fixture.chairs) {
      tokens[c.token] = { userId: c.userId, meetingId: c.meetingId, role: 'chair' };
    }
    for (const d of fixture.delegates) {
      tokens[d.token] = { userId: d.userId, meetingId: d.meetingId, role: 'delegate' };
    }
    writeFileSync(tokensFile, JSON.stringify(tokens));
    // Its clients load while it starts, as ours did during setup.
    const refPool = WorkerPool.start(Math.min(args.workers, args.delegates), args.clientNice);
    cleanup.add(() => refPool.stop());
    const refNode = await startNode(
      {
        root: ROOT,
        dataDir: join(storage.dataDir, 'reference'),
        databaseUrl: storage.databaseUrl,
        redisUrl: undefined,
        // --cpu-prof DIR profiles the reference too, in DIR/reference.
        cpuProfDir: args.cpuProf ? join(args.cpuProf, 'reference') : undefined,
        // A cold PGlite initdb: ≈ 5 s on a quiet machine, much longer on a busy one.
        startTimeoutMs: 240_000,
        script: ['bench/reference-server.ts', '--tokens', tokensFile, '--data', join(storage.dataDir, 'reference')],
      },
      99,
    );
    cleanup.add(() => refNode.stop().then(() => undefined));
    log(`reference server: ${refNode.url} (pid ${refNode.pid})`);
    await refPool.loaded();
    reference = await measure(args, fixture, [refNode], refPool, undefined, cleanup, { server: 'reference', into: phases });
    await refNode.stop();
    await refPool.stop();
  }

  const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a !== null && a !== undefined && b !== null && b !== undefined && b > 0 ? round(a / b) : null;
  return {
    bench: 'votes',
    params: {
      delegates: args.delegates,
      meetings: args.meetings,
      nodes: args.nodes,
      rounds: args.rounds,
      warmup: args.warmup,
      storage: args.storage,
      workers: pool.size,
      clientNice: args.clientNice,
      spreadMs: args.spreadMs,
      chairVotes: !args.chairAbstains,
      reference: args.reference,
    },
    machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', ramGb: round(totalmem() / 2 ** 30), loadAvg1m: { before: loadBefore, after: round(loadavg()[0] ?? 0) } },
    ...ours,
    // Per node, as the node measured itself over its whole run (connect, warm-up and measured rounds):
    // event → ack written, and its event loop's delay (server/timings.ts).
    serverTimings,
    ...(reference
      ? {
          reference,
          // ours ÷ reference: ≤ 1 means ours is at least as fast.
          vsReference: {
            ackP99: ratio(ours.ballotAck.p99Ms, reference.ballotAck.p99Ms),
            ackP50: ratio(ours.ballotAck.p50Ms, reference.ballotAck.p50Ms),
            connectTotal: ratio(ours.connect.totalMs, reference.connect.totalMs),
            reconnectTotal: ratio(ours.reconnect.totalMs, reference.reconnect.totalMs),
            finalTallyAllMax: ratio(ours.finalTally.allClients.maxMs, reference.finalTally.allClients.maxMs),
            serverCpuMsPerBallot: ratio(ours.serverCpuMsPerBallot, reference.serverCpuMsPerBallot),
          },
        }
      : {}),
    durationMs: round(now() - started),
  };
}

type Figures = Awaited<ReturnType<typeof measure>>;

/**
 * Connects every client to `nodes`, runs the rounds and returns the figures of that server. Each
 * measured phase's window goes to `windows.into` as "`windows.server` connect" (rounds, reconnect).
 */
async function measure(args: BenchArgs, fixture: Fixture, nodes: readonly ServerNode[], pool: WorkerPool, databaseUrl: string | undefined, cleanup: Cleanup, windows: { readonly server: string; readonly into: PhaseWindow[] }) {
  // As a load balancer would: every meeting's delegates spread evenly over the nodes (delegate i sits
  // in meeting i mod M, so it takes node ⌊i / M⌋ mod K; i mod K would put a whole meeting on one node
  // whenever K divides M), and the chairs round-robin. With K > 1 every vote crosses nodes, and no
  // node does all the opens and closes.
  const meetingCount = Math.max(1, fixture.chairs.length);
  const specs: ClientSpec[] = fixture.delegates.map((d, i) => ({ ...d, url: nodes[Math.floor(i / meetingCount) % nodes.length]?.url ?? '' }));
  const shares = Array.from({ length: pool.size }, (_, w) => specs.filter((_, i) => i % pool.size === w));

  const serverPids = nodes.map((n) => n.pid);
  /** Runs one measured phase: its wall time, the CPU of every side over it, and its window for the profiles. */
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: ReturnType<CpuWindow['stop']> }> => {
    const t = now();
    const fromUs = monotonicUs();
    const window = new CpuWindow(serverPids, pool.pids);
    const value = await fn();
    const ms = now() - t;
    const cpu = window.stop();
    windows.into.push({ phase: `${windows.server} ${name}`, fromUs, toUs: monotonicUs() });
    return { value, ms, cpu };
  };
  const { value: ready, ms: connectTotalMs, cpu: connectCpuMs } = await phase('connect', () =>
    pool.each('ready', (w) => ({ t: 'init', clients: shares[w] ?? [], spreadMs: args.spreadMs, connectConcurrency: args.connectConcurrency })),
  );
  const connectFailures = ready.flatMap((r) => r.failures);
  if (connectFailures.length > 0) {
    throw new Error(`${connectFailures.length} clients failed to connect, e.g. ${connectFailures[0]}`);
  }
  const chairs = fixture.chairs.map((c, i) => new SimChair(c, nodes[i % nodes.length]?.url ?? ''));
  cleanup.add(() => chairs.forEach((c) => c.disconnect()));
  await Promise.all(chairs.map((c) => c.connect()));
  log(`connected ${specs.length} delegates + ${chairs.length} chairs in ${Math.round(connectTotalMs)} ms`);

  const deps = { chairs, pool, spreadMs: args.spreadMs, chairVotes: !args.chairAbstains, log };
  const cold = emptyObservations();
  for (let r = 1; r <= args.warmup; r++) {
    await runRound(deps, r, cold);
  }
  const obs = emptyObservations();
  const sampler = databaseUrl && args.dbActivity ? await PgSampler.start(databaseUrl) : undefined;
  // Server CPU spent during the vote rounds: independent of how busy the machine is. The clients'
  // and the machine's share tell whether the cores were full (then latency is queueing, not work).
  const { ms: roundsMs, cpu: roundsCpuMs } = await phase('rounds', async () => {
    for (let r = args.warmup + 1; r <= args.warmup + args.rounds; r++) {
      await runRound(deps, r, obs);
    }
  });
  const serverCpuMs = roundsCpuMs.serverMs;
  const dbActivity = await sampler?.stop();
  const memory = nodes.map((n) => ({ pid: n.pid, ...readRss(n.pid) }));

  // The same storm on a server that has run: every delegate drops its socket and connects and joins
  // again, as when the hall's network comes back (the first connect also pays the server's start:
  // code not yet compiled by the JIT, caches empty).
  const { value: again, ms: reconnectTotalMs, cpu: reconnectCpuMs } = await phase('reconnect', () => pool.all('ready', { t: 'reconnect' }));
  const reconnectFailures = again.flatMap((r) => r.failures);
  if (reconnectFailures.length > 0) {
    throw new Error(`${reconnectFailures.length} clients failed to reconnect, e.g. ${reconnectFailures[0]}`);
  }
  log(`reconnected ${specs.length} delegates in ${Math.round(reconnectTotalMs)} ms`);
  chairs.forEach((c) => c.disconnect());

  // Correctness over every round, warm-up included.
  const correctness = {
    lost: obs.lost + cold.lost,
    duplicated: obs.duplicated + cold.duplicated,
    unacked: obs.unacked + cold.unacked,
    inconsistent: obs.inconsistent + cold.inconsistent,
  };
  const ack = summarize(obs.ack);
  const finalAll = summarize(obs.finalTallyAll);
  return {
    connect: { totalMs: round(connectTotalMs), perClient: summarize(ready.flatMap((r) => r.connectMs)), retries: ready.reduce((a, r) => a + r.retries, 0) },
    reconnect: { totalMs: round(reconnectTotalMs), perClient: summarize(again.flatMap((r) => r.connectMs)), retries: again.reduce((a, r) => a + r.retries, 0) },
    openSeen: { perClient: summarize(obs.openSeen), allSeen: summarize(obs.openAllSeen), missing: obs.openMissing },
    ballotAck: { ...ack, failed: obs.ackFailed, unanswered: obs.unanswered },
    // Ballots sent within OPENING_MS of their poll's open, and after (measured rounds).
    ballotAckBySend: { opening: summarize(obs.ackOpening), later: summarize(obs.ackLater) },
    // By send time, per TIMELINE_MS since the round's first open (measured rounds together).
    ballotAckTimeline: obs.ackTimeline.map((xs, i) => ({ sentFromMs: i * TIMELINE_MS, ...summarize(xs) })),
    // The client workers' event-loop delay while ballots were acked (the worst worker and round): an
    // ack is timed when its worker's loop gets to it, so this much of a latency can be the instrument's.
    clientLoopDelay: { p99Ms: round(maxOf(obs.clientLoopDelay.map((d) => d.p99Ms))), maxMs: round(maxOf(obs.clientLoopDelay.map((d) => d.maxMs))) },
    finalTally: { perClient: summarize(obs.finalTally), allClients: finalAll, missing: obs.tallyMissing },
    closeResult: { perClient: summarize(obs.closeSeen), missing: obs.closeMissing },
    // poll:tally frames per delegate per vote (measured rounds): the fan-out a vote costs.
    tallyFrames: {
      mean: obs.tallyFrames.length > 0 ? round(obs.tallyFrames.reduce((a, n) => a + n, 0) / obs.tallyFrames.length) : null,
      max: obs.tallyFrames.length > 0 ? obs.tallyFrames.reduce((a, n) => Math.max(a, n), 0) : null,
    },
    ...correctness,
    serverMemory: memory,
    serverRssMb: round(memory.reduce((a, m) => a + (m.rssMb ?? 0), 0)),
    warmup: cold.perRound,
    perRound: obs.perRound,
    ...(dbActivity ? { dbActivity } : {}),
    roundsMs: round(roundsMs),
    cpuMs: { connect: connectCpuMs, rounds: roundsCpuMs, reconnect: reconnectCpuMs },
    serverCpuMs,
    serverCpuMsPerBallot: obs.ack.length > 0 ? round(serverCpuMs / obs.ack.length) : null,
    targets: {
      // Targets; judged by the caller for the configuration it asked for.
      ackP99Le25: ack.p99Ms !== null && ack.p99Ms <= 25,
      ackP99Le50: ack.p99Ms !== null && ack.p99Ms <= 50,
      ackP99Le100: ack.p99Ms !== null && ack.p99Ms <= 100,
      connectLe3s: connectTotalMs <= 3_000,
      finalTallyAllLe100: finalAll.maxMs !== null && finalAll.maxMs <= 100,
      noLossNoDup: correctness.lost === 0 && correctness.duplicated === 0,
    },
  };
}
