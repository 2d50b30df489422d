import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FromWorker, type ToWorker } from './ipc';

type Reply<T extends FromWorker['t']> = Extract<FromWorker, { t: T }>;

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Client worker processes (child_process.fork with the tsx loader), one request at a time each. */
export class WorkerPool {
  private readonly waiting = new Map<ChildProcess, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  private readonly up: Promise<void>[];
  private readonly upSeen = new Map<ChildProcess, () => void>();

  private constructor(private readonly children: ChildProcess[]) {
    this.up = children.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          this.upSeen.set(c, resolve);
          c.on('message', (raw: unknown) => this.onMessage(c, raw));
          c.once('exit', (code) => {
            const err = new Error(`client worker exited with code ${code}`);
            reject(err);
            this.waiting.get(c)?.reject(err);
          });
        }),
    );
    // A worker that dies before it is awaited must not be an unhandled rejection.
    for (const p of this.up) {
      p.catch(() => undefined);
    }
  }

  /**
   * Forks the workers (tsx loader) at the given niceness. `BENCH_WORKER_PROF=DIR` writes a V8 CPU
   * profile of each worker there, to see what the clients themselves cost.
   */
  static start(count: number, nice: number): WorkerPool {
    const prof = process.env.BENCH_WORKER_PROF;
    // Worker output goes to our stderr: stdout is reserved for the final JSON line.
    const children = Array.from({ length: count }, () =>
      fork(WORKER, [], { execArgv: ['--import', 'tsx', ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : [])], stdio: ['ignore', 2, 2, 'ipc'] }),
    );
    for (const c of children) {
      if (c.pid !== undefined && nice !== 0) {
        setPriority(c.pid, nice);
      }
    }
    return new WorkerPool(children);
  }

  /**
   * Resolves once every worker has loaded its code. Measuring must wait for it: a worker still
   * compiling socket.io-client and zod (≈ 2 s of CPU each) would bill its load time to the first
   * server's connect figure and steal the cores from it.
   */
  async loaded(): Promise<void> {
    await Promise.all(this.up);
  }

  /** Process ids of the workers (their CPU time is read from /proc). */
  get pids(): number[] {
    return this.children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  }

  get size(): number {
    return this.children.length;
  }

  /** Sends each worker its own message and waits for every reply of type `t`. */
  async each<T extends FromWorker['t']>(t: T, msgFor: (index: number) => ToWorker): Promise<Reply<T>[]> {
    return Promise.all(
      this.children.map(
        (c, i) =>
          new Promise<Reply<T>>((resolve, reject) => {
            this.waiting.set(c, {
              resolve: (m) => (m.t === t ? resolve(m as Reply<T>) : reject(new Error(`worker answered ${m.t}, expected ${t}`))),
              reject,
            });
            c.send(msgFor(i));
          }),
      ),
    );
  }

  all<T extends FromWorker['t']>(t: T, msg: ToWorker): Promise<Reply<T>[]> {
    return this.each(t, () => msg);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) {
          return;
        }
        const exited = new Promise<void>((r) => c.once('exit', () => r()));
        if (c.connected) {
          c.send({ t: 'stop' } satisfies ToWorker);
        }
        const killer = setTimeout(() => c.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }),
    );
  }

  private onMessage(c: ChildProcess, raw: unknown): void {
    const msg = FromWorker.safeParse(raw);
    if (msg.data?.t === 'up') {
      this.upSeen.get(c)?.();
      return;
    }
    const w = this.waiting.get(c);
    if (!w) {
      return;
    }
    this.waiting.delete(c);
    if (!msg.success) {
      w.reject(new Error(`bad worker message: ${msg.error.message}`));
    } else if (msg.data.t === 'error') {
      w.reject(new Error(`client worker failed: ${msg.data.message}`));
    } else {
      w.resolve(msg.data);
    }
  }
}
