import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerNode {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
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
    createInterface({ input: child.stdout }).on('line', (line) => {
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
      resolve({ url: m[1], pid, stop: () => stopChild(child, exited) });
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

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (10 ms ticks). */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(join('/proc', String(pid), 'stat'), 'utf8');
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}
