import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStatements } from '../../server/db/pglite-statements';

/** Ours, named by the cache (PGlite's own query() uses the unnamed statement). */
async function kept(pg: PGlite): Promise<string[]> {
  const r = await pg.query<{ statement: string }>(`select statement from pg_prepared_statements where name like 'ecab_s%' order by statement`);
  return r.rows.map((x) => x.statement);
}

// drizzle's pglite driver passes these: timestamps and dates stay text.
const drizzleLike = { parsers: { [types.TIMESTAMPTZ]: (v: string) => v, [types.DATE]: (v: string) => v } };

describe('PgliteStatements: PGlite with named statements kept between calls', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create();
    await pg.exec(`create table t (id uuid primary key, n int8, amount numeric, ok boolean, at timestamptz, day date,
      doc jsonb, tags text[], raw bytea, note text)`);
  });
  afterAll(async () => {
    await pg.close();
  });

  it('answers exactly as PGlite query() does, for every column type, in object and array mode', async () => {
    const s = new PgliteStatements(pg);
    const insert = 'insert into t (id, n, amount, ok, at, day, doc, tags, raw, note) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id';
    const rows: unknown[][] = [
      ['00000000-0000-4000-8000-000000000001', 9007199254740993n, '12.50', true, '2026-12-01T10:00:00.123Z', '2026-12-01', { a: [1, 'x'], 'b"': null }, ['a', 'b,c', 'd"e'], new Uint8Array([0, 1, 255]), "it's"],
      ['00000000-0000-4000-8000-000000000002', 0, null, false, new Date('2026-01-02T03:04:05Z'), null, [], [], null, null],
    ];
    for (const r of rows) {
      const ours = await s.query(insert, r);
      expect(ours.affectedRows).toBe(1);
      expect(ours.rows).toHaveLength(1);
    }
    const select = 'select * from t where id = any($1) order by id';
    const ids = rows.map((r) => r[0]);
    for (const options of [undefined, drizzleLike, { ...drizzleLike, rowMode: 'array' as const }]) {
      const theirs = await pg.query(select, [ids], options);
      const ours = await s.query(select, [ids], options);
      expect(ours.rows).toEqual(theirs.rows);
      expect(ours.fields).toEqual(theirs.fields);
      expect(ours.affectedRows).toBe(theirs.affectedRows);
    }
    // Updates count their rows as PGlite does; an empty answer has no rows.
    expect((await s.query('update t set note = $1 where n >= $2', ['x', 0])).affectedRows).toBe(2);
    expect((await s.query('select id from t where id = $1', ['00000000-0000-4000-8000-00000000000f'])).rows).toEqual([]);
    await s.query('delete from t');
  });

  it('reads an answer of many chunks as PGlite query() does; a notice on the way changes nothing', async () => {
    const s = new PgliteStatements(pg);
    // Vietnamese names (2- and 3-byte UTF-8) across thousands of rows: the answer comes out of the
    // backend in several chunks, and characters may straddle two of them.
    const many = `select i, repeat('Đại biểu Nguyễn Thị Hương ', 1 + i % 7) || i as name, timestamptz '2026-12-01 10:00:00.5+07' - make_interval(secs => i) as at
      from generate_series(1, $1::int) as i order by i`;
    let chunks = 0;
    const raw = pg.execProtocolRawStream.bind(pg);
    pg.execProtocolRawStream = (message, opts) =>
      raw(message, {
        ...opts,
        onRawData: (c) => {
          chunks += 1;
          opts.onRawData(c);
        },
      });
    try {
      for (const options of [undefined, drizzleLike, { ...drizzleLike, rowMode: 'array' as const }]) {
        const theirs = await pg.query(many, [3000], options);
        chunks = 0;
        const ours = await s.query(many, [3000], options);
        expect(chunks).toBeGreaterThan(1);
        expect(ours.rows).toHaveLength(3000);
        expect(ours.rows).toEqual(theirs.rows);
        expect(ours.fields).toEqual(theirs.fields);
      }
    } finally {
      pg.execProtocolRawStream = raw;
    }
    await pg.exec(`create or replace function noisy(x int) returns int language plpgsql as $$
      begin raise notice 'counting %', x; return x + 1; end $$`);
    expect((await s.query<{ v: number }>('select noisy($1::int) as v', [41])).rows).toEqual([{ v: 42 }]);
  });

  it('parses a text once and runs it by name after that; the least recently used is closed past the limit', async () => {
    const own = await PGlite.create();
    const s = new PgliteStatements(own, 2);
    for (let i = 0; i < 5; i++) {
      expect((await s.query<{ v: number }>('select $1::int + 1 as v', [i])).rows).toEqual([{ v: i + 1 }]);
    }
    expect(await kept(own)).toEqual(['select $1::int + 1 as v']);
    await s.query('select 2 as two');
    await s.query('select 3 as three');
    expect(s.size).toBe(2);
    // The evicted name is closed with the next call into the backend.
    await s.query('select 3 as three');
    expect(await kept(own)).toEqual(['select 2 as two', 'select 3 as three']);
    // Anything but plain DML and queries is not kept.
    await s.query('create table if not exists u (x int)');
    await s.query("set application_name = 'ecab'");
    expect(await kept(own)).toEqual(['select 2 as two', 'select 3 as three']);
    // A statement first parsed in a transaction that rolls back stays usable (statements are not transactional).
    await s.transaction(async (tx) => {
      expect((await tx.query<{ v: string }>('select $1::text as v', ['in'])).rows).toEqual([{ v: 'in' }]);
      await tx.rollback();
    });
    expect((await s.query<{ v: string }>('select $1::text as v', ['out'])).rows).toEqual([{ v: 'out' }]);
    await own.close();
  });

  it('keeps a set operation of queries too, as drizzle writes it (each part in parentheses)', async () => {
    const own = await PGlite.create();
    const s = new PgliteStatements(own);
    const text = '(select 1 as v) union all (select $1::int as v)';
    for (const n of [7, 8]) {
      expect((await s.query<{ v: number }>(text, [n])).rows).toEqual([{ v: 1 }, { v: n }]);
    }
    expect(await kept(own)).toEqual([text]);
    await own.close();
  });

  it('reports a bad value with PostgreSQL’s error and goes on; inside a transaction the error rolls it back', async () => {
    const s = new PgliteStatements(pg);
    const q = 'select id from t where id = $1';
    await expect(s.query(q, ['not-a-uuid'])).rejects.toMatchObject({ code: '22P02' });
    expect((await s.query(q, ['00000000-0000-4000-8000-000000000001'])).rows).toEqual([]);
    await expect(
      s.transaction(async (tx) => {
        await tx.query('insert into t (id) values ($1)', ['00000000-0000-4000-8000-000000000003']);
        await tx.query('insert into t (id) values ($1)', ['00000000-0000-4000-8000-000000000003']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await s.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    await expect(s.query('select nope from t')).rejects.toMatchObject({ code: '42703' });
    expect((await s.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('a query outside a transaction waits for the one in progress, as PGlite query() does', async () => {
    const s = new PgliteStatements(pg);
    const order: string[] = [];
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const tx = s.transaction(async (t) => {
      await t.query('insert into t (id) values ($1)', ['00000000-0000-4000-8000-000000000004']);
      inside();
      await new Promise((r) => setTimeout(r, 50));
      order.push('tx rolls back');
      await t.rollback();
    });
    await started;
    const read = s.query<{ n: number }>('select count(*)::int as n from t').then((r) => {
      order.push('outside read');
      return r.rows;
    });
    await tx;
    expect(await read).toEqual([{ n: 0 }]);
    expect(order).toEqual(['tx rolls back', 'outside read']);
    await expect(tx).resolves.toBeUndefined();
  });
});
