import { createHash } from 'node:crypto';
import { asc, desc, sql } from 'drizzle-orm';
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
 * Appends one entry to the hash chain inside the caller's transaction, so the entry commits
 * together with the change it records. The advisory lock makes seq/prevHash race-free across nodes.
 */
export async function appendAudit(tx: Executor, e: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const data = canonicalJson(e.data ?? {});
  await tx.insert(auditLog).values({
    seq,
    at: new Date(at),
    actorId: e.actorId,
    meetingId: e.meetingId,
    action: e.action,
    data,
    prevHash,
    hash: entryHash(prevHash, seq, at, e),
  });
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
      return { ok: false, entries: rows.length, firstBadSeq: row.seq, reason: `missing entry before seq ${row.seq}` };
    }
    if (row.prevHash !== prev) {
      return { ok: false, entries: rows.length, firstBadSeq: row.seq, reason: 'previous hash does not match' };
    }
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const hash = entryHash(prev, row.seq, row.at.toISOString(), {
      actorId: row.actorId,
      meetingId: row.meetingId,
      action: row.action,
      data,
    });
    if (hash !== row.hash) {
      return { ok: false, entries: rows.length, firstBadSeq: row.seq, reason: 'entry content does not match its hash' };
    }
    prev = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: rows.length };
}
