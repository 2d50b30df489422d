import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { storages } from '../helpers/server';

// Smoke test of `npm run bench:votes` so the benchmark cannot rot silently:
// a tiny real run (own server process, worker processes with real socket.io clients) must end with
// one JSON line in which every acknowledged ballot is counted exactly once.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const Figures = z.object({
  lost: z.number(),
  duplicated: z.number(),
  unacked: z.number(),
  inconsistent: z.number(),
  params: z.object({ delegates: z.number(), storage: z.string(), chairVotes: z.boolean() }),
  ballotAck: z.object({ count: z.number(), p99Ms: z.number(), failed: z.record(z.string(), z.number()), unanswered: z.number() }),
  ballotAckBySend: z.object({ opening: z.object({ count: z.number() }), later: z.object({ count: z.number() }) }),
  ballotAckTimeline: z.array(z.object({ sentFromMs: z.number(), count: z.number() })),
  clientLoopDelay: z.object({ p99Ms: z.number(), maxMs: z.number() }),
  serverTimings: z.array(
    z.object({ events: z.record(z.string(), z.object({ count: z.number(), p99Ms: z.number() })), loopDelay: z.object({ p99Ms: z.number() }) }).nullable(),
  ),
  openSeen: z.object({ perClient: z.object({ count: z.number() }), missing: z.number() }),
  finalTally: z.object({ perClient: z.object({ count: z.number() }), missing: z.number() }),
  closeResult: z.object({ perClient: z.object({ count: z.number() }), missing: z.number() }),
  tallyFrames: z.object({ mean: z.number(), max: z.number() }),
  serverRssMb: z.number(),
  warmup: z.array(z.object({ round: z.number(), ackCount: z.number() })),
  perRound: z.array(z.object({ round: z.number(), ackCount: z.number(), ackP99Ms: z.number() })),
  cpuMs: z.object({ rounds: z.object({ wallMs: z.number(), serverMs: z.number(), clientsMs: z.number(), machineMs: z.number() }) }),
});

describe.each(storages())('bench:votes smoke (%s)', (storage) => {
  it('runs a warm-up and a measured round with 20 delegates: nothing lost, nothing duplicated, every client saw every step', async () => {
    const args = ['--import', 'tsx', 'bench/votes.ts', '--delegates', '20', '--rounds', '1', '--warmup', '1', '--workers', '2', '--spread-ms', '200', '--timeout-s', '100'];
    args.push('--storage', storage);
    // Both shapes of a vote, one per storage: the chair votes too (the default: every vote ends with
    // all its members in), or only runs the polls (the last ballot is never known to be the last).
    const chairAbstains = storage === 'postgres';
    if (chairAbstains) {
      args.push('--chair-abstains');
    }
    const ballots = chairAbstains ? 20 : 21;
    if (storage === 'pglite') {
      // A migrated copy instead of a cold PGlite initdb keeps this test short.
      args.push('--template', inject('pgliteTemplateEmpty'));
    }
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 110_000, env: { ...process.env } });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const figures = Figures.parse(JSON.parse(last));
    expect(figures.params).toEqual({ ...figures.params, delegates: 20, storage, chairVotes: !chairAbstains });
    // The figures are the measured round's; the warm-up round is reported apart.
    expect(figures.warmup).toEqual([{ ...figures.warmup[0], round: 1, ackCount: ballots }]);
    expect(figures.perRound).toEqual([{ ...figures.perRound[0], round: 2, ackCount: ballots }]);
    expect(figures.ballotAck.count).toBe(ballots);
    expect(figures.ballotAck.failed).toEqual({});
    expect(figures.ballotAck.unanswered).toBe(0);
    // Every ballot was sent within 200 ms of the open: all of them in the opening's second.
    expect(figures.ballotAckBySend).toMatchObject({ opening: { count: ballots }, later: { count: 0 } });
    // By half-second since the first open: every ballot in a slot, the slots in order.
    expect(figures.ballotAckTimeline.reduce((n, s) => n + s.count, 0)).toBe(ballots);
    expect(figures.ballotAckTimeline.map((s) => s.sentFromMs)).toEqual(figures.ballotAckTimeline.map((_, i) => i * 500));
    // The workers' event loops were measured (the histogram's floor is its 5 ms resolution).
    expect(figures.clientLoopDelay.p99Ms).toBeGreaterThan(0);
    expect(figures.clientLoopDelay.maxMs).toBeGreaterThanOrEqual(figures.clientLoopDelay.p99Ms);
    // The server's own answer times, printed when it stopped: every ballot of both rounds, every join.
    expect(figures.serverTimings).toHaveLength(1);
    expect(figures.serverTimings[0]?.events['ballot:cast']?.count).toBe(2 * ballots);
    expect(figures.serverTimings[0]?.events['meeting:join']?.count).toBeGreaterThanOrEqual(21);
    expect(figures.openSeen).toMatchObject({ perClient: { count: 20 }, missing: 0 });
    expect(figures.finalTally).toMatchObject({ perClient: { count: 20 }, missing: 0 });
    expect(figures.closeResult).toMatchObject({ perClient: { count: 20 }, missing: 0 });
    // Every delegate got at least the tally with every ballot; far fewer than one per ballot.
    expect(figures.tallyFrames.mean).toBeGreaterThanOrEqual(1);
    expect(figures.tallyFrames.max).toBeLessThan(20);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unacked).toBe(0);
    expect(figures.inconsistent).toBe(0);
    expect(figures.serverRssMb).toBeGreaterThan(10);
    // The server and its clients did work while voting, and the machine saw at least theirs.
    const cpu = figures.cpuMs.rounds;
    expect(cpu.serverMs).toBeGreaterThan(0);
    expect(cpu.clientsMs).toBeGreaterThan(0);
    expect(cpu.machineMs).toBeGreaterThanOrEqual(cpu.serverMs + cpu.clientsMs - 50);
  }, 120_000);
});
