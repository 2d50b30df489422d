import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  appendAuditBatch,
  entryHash,
  verifyAudit,
  type AuditEntry,
} from '../../server/audit/log';
import { auditLog } from '../../server/db/schema';
import { startServer, storages, type TestServer } from '../helpers/server';

/** the chain is appended by SQL (one lock + one INSERT per batch); verify must still prove it. */
describe.each(storages())('audit chain on %s', (storage) => {
  let srv: TestServer;
  const db = () => srv.server.ctx.db;
  const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
    actorId: null,
    meetingId: null,
    action: 'test.entry',
    data: { i, text: 'Tán thành — "quoted" \\ and ünïcode 🎉', nested: { b: [1, 2.5, null], a: true } },
    ...extra,
  });

  beforeAll(async () => {
    srv = await startServer({ storage });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('chains single and batched entries exactly as entryHash() computes them', async () => {
    await db().transaction(async (tx) => {
      await appendAudit(tx, entry(1));
      await appendAuditBatch(tx, [
        entry(2),
        entry(3, { actorId: '00000000-0000-4000-8000-000000000001' }),
        entry(4),
      ]);
    });
    await appendAuditBatch(db(), []);
    const rows = await db().select().from(auditLog).orderBy(asc(auditLog.seq));
    const last4 = rows.slice(-4);
    const data = (text: string) => JSON.parse(text) as Record<string, unknown>;
    expect(last4.map((r) => data(r.data).i)).toEqual([1, 2, 3, 4]);
    for (const [k, r] of last4.entries()) {
      const prev = k === 0 ? r.prevHash : (last4[k - 1]?.hash ?? '');
      expect(r.prevHash).toBe(prev);
      expect(r.hash).toBe(
        entryHash(prev, r.seq, r.at.toISOString(), {
          actorId: r.actorId,
          meetingId: r.meetingId,
          action: r.action,
          data: data(r.data),
        }),
      );
    }
    expect(await verifyAudit(db())).toMatchObject({ ok: true, entries: rows.length });
  });

  it('stays one gap-free chain under concurrent batched appends', async () => {
    const before = (await verifyAudit(db())).entries;
    await Promise.all(
      Array.from({ length: 12 }, (_, t) =>
        db().transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await appendAuditBatch(tx, [entry(100 + t * 3), entry(101 + t * 3), entry(102 + t * 3)]);
        }),
      ),
    );
    expect(await verifyAudit(db())).toEqual({ ok: true, entries: before + 36 });
  });

  it('detects an edited entry', async () => {
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'test.entry'))
      .orderBy(asc(auditLog.seq))
      .limit(1);
    if (!row) {
      throw new Error('no entry');
    }
    await db().update(auditLog).set({ data: '{"i":999}' }).where(eq(auditLog.seq, row.seq));
    expect(await verifyAudit(db())).toMatchObject({
      ok: false,
      firstBadSeq: row.seq,
      reason: 'entry content does not match its hash',
    });
  });
});
