import { createHash } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { canonicalJson } from '../../shared/domain/canonical-json';
import type { Db, Executor } from '../db/client';
import { auditLog } from '../db/schema';

export const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant key for the advisory lock that serializes appends across nodes. */
const AUDIT_LOCK_KEY = 0x45434142; // "ECAB"

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
 * `prefix + seq + "}"`. That lets the database compute seq and hash in the INSERT itself.
 */
export function entryPrefix(at: string, e: AuditEntry): string {
  const head = canonicalJson({
    at,
    actorId: e.actorId,
    meetingId: e.meetingId,
    action: e.action,
    data: e.data ?? {},
  });
  return `${head.slice(0, -1)},"seq":`;
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the entry commits
 * together with the change it records. See appendAuditBatch.
 */
export async function appendAudit(tx: Executor, e: AuditEntry): Promise<void> {
  await appendAuditBatch(tx, [e]);
}

/**
 * Appends entries, in order, to the ONE global chain inside the caller's transaction: two statements
 * whatever the count (it was three round trips per entry under the lock). The advisory lock
 * makes seq/prevHash race-free across nodes and is held from here to the commit, so callers append
 * last in their transaction (the ballot group commit appends all of a batch's entries at its end).
 * The INSERT reads the last entry and chains seq + sha256(prevHash ‖ canonical body) in SQL (a
 * recursive CTE for several entries): no read-compute-write round trip while the lock is held. The
 * hash is the same function as entryHash(), so `audit verify` checks old and new rows alike.
 */
export async function appendAuditBatch(tx: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  const at = new Date().toISOString();
  const rows = entries.map((e, i) => ({
    ord: i + 1,
    at,
    actor_id: e.actorId,
    meeting_id: e.meetingId,
    action: e.action,
    data: canonicalJson(e.data ?? {}),
    prefix: entryPrefix(at, e),
  }));
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  // The lock is taken by its own statement first: in READ COMMITTED the INSERT below then gets a
  // snapshot that includes the last entry committed by the previous lock holder.
  await tx.execute(sql`
    with recursive input as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json)
        as x(ord int, at timestamptz, actor_id uuid, meeting_id uuid, action text, data text, prefix text)
    ),
    last as (select seq, hash from audit_log order by seq desc limit 1),
    chain(ord, seq, hash) as (
      select 0, coalesce((select seq from last), 0)::bigint, coalesce((select hash from last), ${GENESIS_HASH})::text
      union all
      select i.ord, c.seq + 1, encode(sha256(convert_to(c.hash || i.prefix || (c.seq + 1)::text || '}', 'UTF8')), 'hex')
      from chain c join input i on i.ord = c.ord + 1
    )
    insert into audit_log (seq, at, actor_id, meeting_id, action, data, prev_hash, hash)
    select c.seq, i.at, i.actor_id, i.meeting_id, i.action, i.data, p.hash, c.hash
    from chain c join input i on i.ord = c.ord join chain p on p.ord = c.ord - 1
    order by c.ord`);
}

export interface AuditVerifyResult {
  readonly ok: boolean;
  readonly entries: number;
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/** Recomputes the whole chain; any edited, removed or reordered row breaks it. */
export async function verifyAudit(db: Db): Promise<AuditVerifyResult> {
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
 * One entry in a transaction of its own, for callers outside any transaction (sign-in, downloads):
 * the advisory lock that keeps seq/prevHash race-free is transaction-scoped, so an append on the bare
 * pool would race a concurrent one for the same seq.
 */
export async function appendAuditAlone(db: Db, e: AuditEntry): Promise<void> {
  await db.transaction((tx) => appendAudit(tx, e));
}
