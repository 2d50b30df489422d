/**
 * Reads asked for in the same event-loop turn share one statement. Each read still starts after it
 * was asked for (the batch runs on the next `setImmediate`), so it is never staler than a read of its
 * own; nothing is kept after the batch answers: this is no cache. Why: on PGlite every statement costs
 * a few ms of CPU in the server process whatever it reads, and on PostgreSQL one round trip plus a
 * pool slot; a connect storm of 1,000 delegates made 2 statements per socket (docs/benchmarks.md
 * "Votes"). A failed batch fails each of its reads.
 */
export class TurnBatch<K, V> {
  private waiting = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
  private armed = false;

  constructor(
    /** Reads every key in one go (at most `maxKeys`); keys missing from the answer resolve to undefined. */
    private readonly read: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly maxKeys = 500,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) {
        list.push({ resolve, reject });
      } else {
        this.waiting.set(key, [{ resolve, reject }]);
      }
      if (!this.armed) {
        this.armed = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.armed = false;
    const all = this.waiting;
    this.waiting = new Map();
    const keys = [...all.keys()];
    for (let i = 0; i < keys.length; i += this.maxKeys) {
      const chunk = keys.slice(i, i + this.maxKeys);
      this.read(chunk).then(
        (found) => {
          for (const k of chunk) {
            for (const w of all.get(k) ?? []) {
              w.resolve(found.get(k));
            }
          }
        },
        (err: unknown) => {
          for (const k of chunk) {
            for (const w of all.get(k) ?? []) {
              w.reject(err);
            }
          }
        },
      );
    }
  }
}
