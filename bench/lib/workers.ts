import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FromWorker, type ToWorker } from './ipc';

type Reply<T extends FromWorker['t']> = Extract<FromWorker, { t: T }>;

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Client worker processes (child_process.fork with the tsx loader), one request at a time each. */
export class WorkerPool {
  private readonly waiting = new Map<ChildProcess, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();

  private constructor(private readonly children: ChildProcess[]) {
    for (const c of children) {
      c.on('message', (raw: unknown) => this.onMessage(c, raw));
      c.once('exit', (code) => this.waiting.get(c)?.reject(new Error(`client worker exited with code ${code}`)));
    }
  }

  static start(count: number): WorkerPool {
    // Worker output goes to our stderr: stdout is reserved for the final JSON line.
    const children = Array.from({ length: count }, () => fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] }));
    return new WorkerPool(children);
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
    const w = this.waiting.get(c);
    const msg = FromWorker.safeParse(raw);
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
