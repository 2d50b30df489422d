import { asc, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_LOCK_KEY,
  appendAudit,
  appendAuditBatch,
  auditChainArgs,
  auditRow,
  entryHash,
  verifyAudit,
  writeAudited,
  type AuditEntry,
} from '../../server/audit/log';
import type { Tx } from '../../server/db/client';
import { auditLog, users } from '../../server/db/schema';
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

  it('writeAudited: the write and its entries in one statement, its rows decoded as the table reads them; no entry when no row changed', async () => {
    const idOf = (text: string) => (JSON.parse(text) as { i?: number }).i;
    const username = `audited-${storage}`;
    const [made] = await writeAudited(
      db(),
      users,
      db().insert(users).values({ username, displayName: 'Đại biểu', role: 'observer', passwordHash: 'x', lockedUntil: new Date('2026-01-02T03:04:05.678Z') }).returning(),
      [entry(101), entry(102)],
    );
    const [read] = await db().select().from(users).where(eq(users.username, username));
    expect(made).toEqual(read);
    expect(made?.lockedUntil?.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(made?.createdAt).toBeInstanceOf(Date);
    // A write that changes no row queues none of its entries.
    const none = await writeAudited(db(), users, db().update(users).set({ displayName: 'X' }).where(eq(users.username, 'nobody')).returning(), [entry(103)]);
    expect(none).toEqual([]);
    // In a transaction that rolls back, neither the write nor its entry stays.
    await expect(
      db().transaction(async (tx) => {
        await writeAudited(tx, users, tx.update(users).set({ displayName: 'Y' }).where(eq(users.username, username)).returning(), [entry(104)]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [after] = await db().select().from(users).where(eq(users.username, username));
    expect(after?.displayName).toBe('Đại biểu');
    const tail = await db().select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(tail.map((r) => idOf(r.data)).filter((i) => i !== undefined && i > 100)).toEqual([101, 102]);
    expect((await verifyAudit(db())).ok).toBe(true);
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

  it('chains a transaction\'s entries when it commits, and nothing of one rolled back', async () => {
    const pending = async () => Number(((await db().execute(sql`select count(*)::int as n from audit_pending`)) as unknown as { rows: { n: number }[] }).rows[0]?.n);
    const before = (await verifyAudit(db())).entries;
    await db()
      .transaction(async (tx) => {
        await appendAudit(tx, entry(200));
        throw new Error('rolled back on purpose');
      })
      .catch((err: unknown) => expect(String(err)).toContain('rolled back on purpose'));
    await appendAudit(db(), entry(201));
    expect(await pending()).toBe(0);
    const rows = await db().select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => (JSON.parse(r.data) as { i?: number }).i).filter((i) => i === 200 || i === 201)).toEqual([201]);
    expect(await verifyAudit(db())).toEqual({ ok: true, entries: before + 1 });
  });

  it.runIf(storage === 'postgres')('never holds the chain\'s lock while a transaction waits for its client (PostgreSQL only: PGlite runs one transaction at a time)', async () => {
    // A transaction that appended and then waits (here: for the other append to finish) must not make
    // every other append of the cluster wait: the lock is taken inside COMMIT. Before, the second
    // append waited for the first transaction's lock, which waited for the second: a deadlock.
    const before = (await verifyAudit(db())).entries;
    let releaseFirst = (): void => undefined;
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let queued = (): void => undefined;
    const firstQueued = new Promise<void>((resolve) => {
      queued = resolve;
    });
    const first = db().transaction(async (tx) => {
      await appendAudit(tx, entry(300));
      queued();
      await firstMayCommit;
    });
    await firstQueued;
    const second = db().transaction(async (tx) => appendAudit(tx, entry(301)));
    const outcome = await Promise.race([second.then(() => 'committed'), new Promise((r) => setTimeout(() => r('blocked'), 5_000))]);
    releaseFirst();
    await first;
    await second;
    expect(outcome).toBe('committed');
    // Chained in commit order: the second transaction's entry first.
    const rows = await db().select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.slice(-2).map((r) => (JSON.parse(r.data) as { i: number }).i)).toEqual([301, 300]);
    expect(await verifyAudit(db())).toEqual({ ok: true, entries: before + 2 });
  });

  // The follow-up must find an append made inside a savepoint too: it is registered per transaction
  // handle (server/audit/pending.ts), and a savepoint gets a handle of its own.
  it.runIf(storage === 'postgres').each([
    { where: 'in a transaction', base: 400 },
    { where: 'in a savepoint of a transaction', base: 500 },
  ])('commits without waiting for the chain\'s lock, and chains what was left pending first, $where (PostgreSQL only)', async ({ where, base }) => {
    const append = (tx: Tx, e: AuditEntry): Promise<void> => (where === 'in a transaction' ? appendAudit(tx, e) : tx.transaction((sp) => appendAudit(sp, e)));
    const before = (await verifyAudit(db())).entries;
    const holder = new pg.Client({ connectionString: srv.databaseUrl });
    await holder.connect();
    const count = async (table: 'audit_pending' | 'audit_log', i: number): Promise<number> =>
      Number((await holder.query<{ n: number }>(`select count(*)::int as n from ${table} where (${table === 'audit_pending' ? "(entry->>'data')::json" : 'data::json'}->>'i')::int = $1`, [i])).rows[0]?.n);
    try {
      // Another commit holds the chain: taken with the key audit_append uses, by a session of its own.
      await holder.query('select pg_advisory_lock($1::bigint)', [AUDIT_LOCK_KEY]);
      let answered = false;
      const first = db()
        .transaction(async (tx) => append(tx, entry(base)))
        .then(() => {
          answered = true;
        });
      // Its COMMIT went through: the entry is committed, pending, visible to other sessions.
      await expect.poll(() => count('audit_pending', base), { timeout: 5_000 }).toBe(1);
      expect(await count('audit_log', base)).toBe(0);
      // A ballot batch appends with the lock (migration 0017): it waits, then chains the pending entry before its own.
      const ballot = db().execute(sql`select audit_append(${JSON.stringify([auditRow(new Date().toISOString(), entry(base + 1))])}::json, ${auditChainArgs()})`);
      await new Promise((r) => setTimeout(r, 200));
      // The transaction is answered only once its entry is in the chain (the follow-up waits for the lock).
      expect(answered).toBe(false);
      await holder.query('select pg_advisory_unlock($1::bigint)', [AUDIT_LOCK_KEY]);
      await Promise.all([first, ballot]);
    } finally {
      await holder.end();
    }
    const rows = await db().select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.slice(-2).map((r) => (JSON.parse(r.data) as { i: number }).i)).toEqual([base, base + 1]);
    expect(Number(((await db().execute(sql`select count(*)::int as n from audit_pending`)) as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(0);
    expect(await verifyAudit(db())).toEqual({ ok: true, entries: before + 2 });
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
