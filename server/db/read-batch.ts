import { performance } from 'node:perf_hooks';
import DataLoader from 'dataloader';

/**
 * Reads of one kind (sessions by token hash, memberships) share statements: the keys asked for while
 * the previous statement of that kind is still out, or in the same event-loop turn, go out together
 * in the next one. DataLoader collects the keys (no cache: `cache: false`, so every read starts after
 * it was asked for and is never staler than a read of its own; nothing is kept after a batch
 * answers). Its scheduler here waits for the batch in flight, which makes batches grow with the load
 * and cost nothing when idle (one `setImmediate`, as a per-turn batch would). Why batch at all: on
 * PGlite every statement costs about a millisecond of the server's CPU whatever it reads, and on
 * PostgreSQL a round trip and a pool slot; a connect storm of 1,000 delegates made 2 statements per
 * socket, and per-turn batches merged only ≈ 1.15 reads each (docs/benchmarks.md "Votes"). A failed
 * statement fails each read of its batch.
 *
 * `gatherMs` (default 0: off) also spaces the statements of a busy kind: a batch asked for within
 * `gatherMs` of the previous one's start waits until then, collecting what arrives meanwhile. An
 * isolated read never waits (its previous batch is older than that); under a storm a read waits at
 * most `gatherMs` more, and the statements of the kind are at most 1000 / `gatherMs` a second.
 * Waiting for the statement in flight alone still left a connect storm at ≈ 1.5 handshakes per
 * statement: each one answers within a millisecond or two (docs/benchmarks.md "Live room,
 * thirteenth round").
 */
export interface ReadBatchOptions {
  /** The most keys one statement reads (default 500); more go in several. */
  readonly maxKeys?: number;
  /** See above (default 0: off). */
  readonly gatherMs?: number;
}

/**
 * The gatherMs of the room's reads that come in storms (handshakes, the memberships of room events):
 * 1,000 connects made 502 handshake statements without it and 168 with it, and the connect's CPU fell
 * on both storages (docs/benchmarks.md "Live room, thirteenth round"). A lone read does not wait.
 */
export const STORM_GATHER_MS = 15;

/**
 * Runs `fn` when the window of `windowMs` that began at `startedAt` (performance.now()) ends, or in
 * the next turn (after the pending I/O) if it already has: how reads here and ballot batches
 * (server/polls/ballot-queue.ts) space their statements.
 */
export function afterWindow(startedAt: number, windowMs: number, fn: () => void): void {
  const wait = startedAt + windowMs - performance.now();
  if (wait > 0) {
    setTimeout(fn, wait);
  } else {
    setImmediate(fn);
  }
}

export class ReadBatch<K, V> {
  private readonly loader: DataLoader<K, V | undefined>;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** When the last batch was sent (performance.now()); -Infinity before the first. */
  private sentAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** Reads every key in one go (at most `maxKeys`); keys missing from the answer resolve to undefined. */
    read: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    { maxKeys = 500, gatherMs = 0 }: ReadBatchOptions = {},
  ) {
    const send = (dispatch: () => void) => afterWindow(this.sentAt, gatherMs, dispatch);
    this.loader = new DataLoader<K, V | undefined>(
      (keys) => {
        this.sentAt = performance.now();
        const answer = read([...new Set(keys)]);
        this.inFlight = answer.catch(() => undefined);
        return answer.then((found) => keys.map((k) => found.get(k)));
      },
      {
        cache: false,
        maxBatchSize: maxKeys,
        batchScheduleFn: (dispatch) => {
          void this.inFlight.then(() => send(dispatch));
        },
      },
    );
  }

  load(key: K): Promise<V | undefined> {
    return this.loader.load(key);
  }
}
