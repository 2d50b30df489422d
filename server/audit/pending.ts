import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../db/client';

/**
 * Entries a COMMIT left pending (migration 0019): a transaction's COMMIT chains its audit entries
 * only if the chain's lock is free at that moment; otherwise they stay in `audit_pending`, committed
 * with the change they record, for the next holder of the lock. A COMMIT used to wait for the lock,
 * held by each committer through its WAL flush, and with 300 meetings voting at once the polls'
 * COMMITs queued for 23.6 ms on average (docs/benchmarks.md, tenth round).
 *
 * So that a reader of the log still finds an entry once the change was answered, every PostgreSQL
 * transaction that appended entries is followed, before it returns, by `audit_chain_committed`
 * (one read when nothing is pending). Those statements are coalesced per process: at most one runs
 * and one waits; a caller waits for one that began after its commit, which chains everything that
 * commit left. A failed follow-up fails nobody (the change and its entries are committed): the next
 * holder of the lock chains them, as does the start of every server and `audit verify`.
 *
 * PGlite runs one transaction at a time, so its COMMIT always gets the lock: nothing is installed there.
 */
interface Scope {
  appended: boolean;
}

/**
 * The transaction handle (and its savepoints' handles) → the outermost transaction's scope. A WeakMap
 * keyed by the handle that appendAudit is given, not an AsyncLocalStorage: the first `run` of one
 * turns on Node's promise hooks for the whole process, and every promise of every socket event then
 * paid for them (docs/benchmarks.md, twelfth round).
 */
const scopes = new WeakMap<Executor, Scope>();
const followUps = new WeakMap<Executor, () => Promise<void>>();

/** Registers `tx` under `scope`, and every savepoint opened on it, at any depth. */
function track(tx: Tx, scope: Scope): Tx {
  scopes.set(tx, scope);
  const savepoint = tx.transaction.bind(tx);
  const nested: Tx['transaction'] = (fn) => savepoint((inner) => fn(track(inner, scope)));
  tx.transaction = nested;
  return tx;
}

/** Wraps `db.transaction` of a PostgreSQL database so that a transaction that appended is followed up. */
export function installAuditFollowUp(db: Db, chainArgs: SQL): void {
  const followUp = coalesced(async () => {
    await db.execute(sql`select audit_chain_committed(${chainArgs})`);
  });
  followUps.set(db, followUp);
  const transaction = db.transaction.bind(db);
  const wrapped: Db['transaction'] = async (fn, config) => {
    const scope: Scope = { appended: false };
    const out = await transaction((tx) => fn(track(tx, scope)), config);
    if (scope.appended) {
      await followUp().catch(() => undefined);
    }
    return out;
  };
  db.transaction = wrapped;
}

/**
 * Called after entries were queued on `tx`: a transaction (or a savepoint in one) is marked for the
 * follow-up after its commit; a statement of its own (on the database itself) has committed already,
 * so its follow-up runs now.
 */
export async function auditQueued(tx: Executor): Promise<void> {
  const scope = scopes.get(tx);
  if (scope) {
    scope.appended = true;
    return;
  }
  await followUps.get(tx)?.().catch(() => undefined);
}

/** Chains whatever is pending now (server start, `audit verify`); nothing to do on PGlite. */
export async function chainPending(db: Db): Promise<void> {
  await followUps.get(db)?.();
}

/**
 * One run of `run` at a time; a call while one runs gets the next run (which starts after it, so it
 * sees every commit made before the call), shared by every call made meanwhile.
 */
function coalesced(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const request = (): Promise<void> => {
    if (!current) {
      current = run().finally(() => {
        current = null;
      });
      return current;
    }
    next ??= current
      .catch(() => undefined)
      .then(() => {
        next = null;
        return request();
      });
    return next;
  };
  return request;
}
