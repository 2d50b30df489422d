import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

const Timing = z.object({ p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number() });
/** The line server/serve.ts prints when it stops (server/timings.ts): the node's own answer times. */
export const RoomTimingsLine = z.object({ events: z.record(z.string(), Timing.extend({ count: z.number() })), loopDelay: Timing });
export type RoomTimingsLine = z.infer<typeof RoomTimingsLine>;
const TIMINGS = /^E-Cabinet room timings (\{.*\})$/;

export interface ServerNode {
  readonly url: string;
  readonly pid: number;
  /** Stops the node; its room timings when it printed them (ours does, the reference does not). */
  stop(): Promise<RoomTimingsLine | undefined>;
}

export interface NodeOptions {
  readonly root: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly cpuProfDir: string | undefined;
  readonly startTimeoutMs: number;
  /** Script and its arguments instead of the E-Cabinet server (the `--reference` server). */
  readonly script?: readonly string[];
}

const LISTENING = /E-Cabinet server listening on (http:\/\/\S+)/;

/**
 * Spawns `server/main.ts` as its own process on port 0. Node runs it with the tsx loader directly
 * (not through `npx tsx`, which forks a second node) so the pid we read VmRSS from IS the server.
 */
export function startNode(opts: NodeOptions, index: number): Promise<ServerNode> {
  const args = ['--import', 'tsx', ...(opts.script ?? ['server/main.ts', '--host', '127.0.0.1', '--port', '0', '--data', opts.dataDir])];
  if (opts.cpuProfDir) {
    mkdirSync(opts.cpuProfDir, { recursive: true });
    args.unshift('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
  }
  const child = spawn(process.execPath, args, {
    cwd: opts.root,
    env: {
      ...process.env,
      // Request logs would measure pino, not the room.
      LOG_LEVEL: 'warn',
      DATABASE_URL: opts.databaseUrl ?? '',
      // A single node runs the in-memory adapter even when the shell has REDIS_URL.
      REDIS_URL: opts.redisUrl ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stderr }).on('line', (l) => process.stderr.write(`[server ${index}] ${l}\n`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${index} did not start within ${opts.startTimeoutMs} ms`));
    }, opts.startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server ${index} exited early with code ${code}`));
    });
    let timings: RoomTimingsLine | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const t = TIMINGS.exec(line);
      if (t?.[1]) {
        const parsed = RoomTimingsLine.safeParse(JSON.parse(t[1]));
        timings = parsed.success ? parsed.data : undefined;
        return;
      }
      const m = LISTENING.exec(line);
      if (!m?.[1]) {
        return;
      }
      clearTimeout(timer);
      const pid = child.pid;
      if (pid === undefined) {
        reject(new Error('server has no pid'));
        return;
      }
      resolve({
        url: m[1],
        pid,
        stop: async () => {
          await stopChild(child, exited);
          return timings;
        },
      });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Resident and peak resident memory (MB) of a process, from /proc/<pid>/status. */
export function readRss(pid: number): { rssMb: number | null; peakRssMb: number | null } {
  try {
    const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
    const kb = (key: string): number | null => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m?.[1] ? Math.round(Number(m[1]) / 102.4) / 10 : null;
    };
    return { rssMb: kb('VmRSS'), peakRssMb: kb('VmHWM') };
  } catch {
    return { rssMb: null, peakRssMb: null };
  }
}

/**
 * A process's command name and CPU time (user + system, ms) so far, from /proc/<pid>/stat (10 ms
 * ticks); null when it has ended or the line does not parse.
 */
function readStat(pid: number | string): { comm: string; cpuMs: number } | null {
  try {
    const stat = readFileSync(join('/proc', String(pid), 'stat'), 'utf8');
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuMs: ticks * 10 } : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a process has used so far. */
export function readCpuMs(pid: number): number | null {
  return readStat(pid)?.cpuMs ?? null;
}

/**
 * CPU time (ms) the whole machine has spent busy so far, all cores together (user, nice, system, irq,
 * softirq, steal; not idle or iowait), from the first line of /proc/stat (10 ms ticks). Busy minus the
 * server, the clients and PostgreSQL is the bench itself and everything else running on the machine.
 */
export function readMachineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return Number.isFinite(busy) ? busy * 10 : null;
  } catch {
    return null;
  }
}

/** CPU time (ms) used so far by each PostgreSQL process running now (postmaster, backends, workers), by pid; none without PostgreSQL. */
export function readPostgresCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    // A process that ended between the listing and the read has no stat.
    const stat = /^\d+$/.test(entry) ? readStat(entry) : null;
    if (stat?.comm === 'postgres') {
      out.set(entry, stat.cpuMs);
    }
  }
  return out;
}

/**
 * PostgreSQL's CPU between two readings, per process: a backend started meanwhile counts from zero;
 * one that ended meanwhile (a pool closing an idle connection) is not counted, what it spent in the
 * window included (a difference of the sums over all processes went negative then).
 */
function postgresCpuBetween(start: ReadonlyMap<string, number>, end: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const [pid, ms] of end) {
    total += Math.max(0, ms - (start.get(pid) ?? 0));
  }
  return total;
}

/** CPU use of the server, the client workers, PostgreSQL and the whole machine over one phase of the bench. */
export class CpuWindow {
  private readonly start: { server: number; clients: number; postgres: Map<string, number>; machine: number; at: number };

  constructor(
    private readonly serverPids: readonly number[],
    private readonly clientPids: readonly number[],
  ) {
    this.start = this.read();
  }

  /** Milliseconds of CPU since construction; `cores` = machine busy ÷ wall time (2 = both cores full). */
  stop(): { wallMs: number; serverMs: number; clientsMs: number; postgresMs: number; machineMs: number; cores: number } {
    const end = this.read();
    const wallMs = end.at - this.start.at;
    const machineMs = end.machine - this.start.machine;
    return {
      wallMs: Math.round(wallMs),
      serverMs: end.server - this.start.server,
      clientsMs: end.clients - this.start.clients,
      postgresMs: postgresCpuBetween(this.start.postgres, end.postgres),
      machineMs,
      cores: wallMs > 0 ? Math.round((machineMs / wallMs) * 100) / 100 : 0,
    };
  }

  private read(): { server: number; clients: number; postgres: Map<string, number>; machine: number; at: number } {
    const sum = (pids: readonly number[]): number => pids.reduce((a, p) => a + (readCpuMs(p) ?? 0), 0);
    return { server: sum(this.serverPids), clients: sum(this.clientPids), postgres: readPostgresCpuMs(), machine: readMachineBusyMs() ?? 0, at: performance.now() };
  }
}
