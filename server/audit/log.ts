import { createHash } from 'node:crypto';
import { asc, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, tableRowOf } from '../db/batch-sql';
import { canonicalJson } from '../../shared/domain/canonical-json';
import type { Db, Executor } from '../db/client';
import { auditLog } from '../db/schema';
import { auditQueued, chainPending } from './pending';

export const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant key for the advisory lock that serializes appends across nodes. */
export const AUDIT_LOCK_KEY = 0x45434142; // "ECAB"

export interface AuditEntry {
  readonly actorId: string | null;
  readonly meetingId: string | null;
  readonly action: string;
  /** Never put secrets here: no passwords, no tokens, never a secret ballot's choice. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export function entryHash(prevHash: string, seq: number, at: string, e: AuditEntry): string {
  const body = canonicalJson({
    seq,
    at,
    actorId: e.actorId,
    meetingId: e.meetingId,
    action: e.action,
    data: e.data ?? {},
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * The canonical body of an entry up to its seq: `seq` sorts last among the body's keys (RFC 8785
 * orders keys by code unit: action, actorId, at, data, meetingId, seq), so the hashed body is exactly
 * `prefix + seq + "}"`. That lets the database compute seq and hash in the INSERT itself. Written
 * around the entry's data already in canonical JSON (auditRow stores that too, and serializing the
 * data twice showed in the profiles of a ballot batch); each value is canonicalJson's own, so the
 * bytes are those of the whole body serialized.
 */
function entryPrefix(at: string, e: AuditEntry, data: string): string {
  return `{"action":${canonicalJson(e.action)},"actorId":${canonicalJson(e.actorId)},"at":${canonicalJson(at)},"data":${data},"meetingId":${canonicalJson(e.meetingId)},"seq":`;
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the entry commits
 * together with the change it records. See appendAuditBatch.
 */
export async function appendAudit(tx: Executor, e: AuditEntry): Promise<void> {
  await appendAuditBatch(tx, [e]);
}

/** One entry as the database function `audit_append` takes it (migration 0017). */
export function auditRow(at: string, e: AuditEntry): Record<string, string | null> {
  const data = canonicalJson(e.data ?? {});
  return {
    at,
    actor_id: e.actorId,
    meeting_id: e.meetingId,
    action: e.action,
    data,
    prefix: entryPrefix(at, e, data),
  };
}

/** The arguments after the entries of `audit_append` (the lock key and the chain's first prevHash). */
export const auditChainArgs = (): SQL => sql`${AUDIT_LOCK_KEY}::bigint, ${GENESIS_HASH}::text`;

/**
 * Appends entries, in order, to the ONE global chain as part of the caller's transaction, in ONE
 * statement whatever the count. The statement only queues them (audit_pending, no lock); when the
 * transaction COMMITs, a deferred constraint trigger (migrations 0018, 0019) hands them to the
 * database function `audit_append`, which holds the advisory lock that makes seq/prevHash race-free
 * across nodes, reads the last entry and chains seq + sha256(prevHash ‖ canonical body) in SQL; the
 * lock is released with the commit. The COMMIT only tries the lock: when another commit holds it, the
 * entries stay pending, committed, and the next holder chains them first (pending.ts follows such a
 * transaction up before it returns, so the entry is in the log when the change is answered). The
 * lock is never held while a transaction waits for this process (a COMMIT sent after the append's
 * answer was read held it for up to 112 ms on a saturated node: docs/benchmarks.md, ninth round),
 * no COMMIT waits for it (tenth round), and the entry still commits with the change it records or not
 * at all. The hash is the same function as entryHash(), so `audit verify` checks old and new rows
 * alike. Outside a transaction the statement is its own and is followed up at once.
 */
export async function appendAuditBatch(tx: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  await tx.execute(queueEntries(entries));
  await auditQueued(tx);
}

/** The INSERT that queues `entries`, in order, in `audit_pending`; with `onlyIf`, only when that holds. */
function queueEntries(entries: readonly AuditEntry[], onlyIf?: SQL): SQL {
  const at = new Date().toISOString();
  const rows = entries.map((e) => auditRow(at, e));
  return sql`
    insert into audit_pending (entry, lock_key, genesis)
    select e.entry, ${auditChainArgs()}
    from json_array_elements(${JSON.stringify(rows)}::json) with ordinality as e(entry, ord)
    ${onlyIf ? sql`where ${onlyIf}` : sql``}
    order by e.ord`;
}

/**
 * A write (an INSERT or UPDATE of `table` with `returning()`) and the entries that record it, in ONE
 * statement: the entries are queued as appendAuditBatch queues them, only if the write changed a row,
 * and the changed rows come back as the table's rows. A poll's open or close was a statement for the
 * write and another for its entry; at 10,000 delegates in 300 meetings the lifecycle of the polls made
 * most of a round's statements, each ≈ 0.6 ms of the server's event loop; with fewer of them the ack
 * p99 fell, while the CPU went to smaller ballot batches instead (docs/benchmarks.md "Live room,
 * fourteenth round"). The entries' data must be known before the write.
 */
export async function writeAudited<T extends PgTable>(tx: Executor, table: T, write: SQLWrapper, entries: readonly AuditEntry[]): Promise<T['$inferSelect'][]> {
  const res = await tx.execute(sql`
    with changed as (${write.getSQL()}),
    queued as (${queueEntries(entries, sql`exists (select 1 from changed)`)})
    select * from changed`);
  await auditQueued(tx);
  return rowsOf(res).map((r) => tableRowOf(table, r));
}

export interface AuditVerifyResult {
  readonly ok: boolean;
  readonly entries: number;
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/** Recomputes the whole chain; any edited, removed or reordered row breaks it. */
export async function verifyAudit(db: Db): Promise<AuditVerifyResult> {
  // Entries a commit left pending are chained first: what was committed is what is checked.
  await chainPending(db);
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return {
        ok: false,
        entries: rows.length,
        firstBadSeq: row.seq,
        reason: `missing entry before seq ${row.seq}`,
      };
    }
    if (row.prevHash !== prev) {
      return {
        ok: false,
        entries: rows.length,
        firstBadSeq: row.seq,
        reason: 'previous hash does not match',
      };
    }
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const hash = entryHash(prev, row.seq, row.at.toISOString(), {
      actorId: row.actorId,
      meetingId: row.meetingId,
      action: row.action,
      data,
    });
    if (hash !== row.hash) {
      return {
        ok: false,
        entries: rows.length,
        firstBadSeq: row.seq,
        reason: 'entry content does not match its hash',
      };
    }
    prev = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: rows.length };
}

/**
 * One entry for callers outside any transaction (sign-in, downloads): the append is then a
 * transaction of its own, chained when it commits.
 */
export async function appendAuditAlone(db: Db, e: AuditEntry): Promise<void> {
  await appendAudit(db, e);
}
