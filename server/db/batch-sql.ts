import { getTableColumns, Placeholder, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * `column = any($1::uuid[])` with the whole list (or a placeholder for it) as ONE parameter, for the
 * room's per-batch statements. drizzle's inArray writes one parameter per value, so the statement's
 * text changes with the batch size: PostgreSQL and PgliteStatements then plan each size anew, and
 * drizzle builds N chunks every time (its query building was ≈ 10 % of the server's CPU per ballot in
 * the vote profile, docs/benchmarks.md "Live room, sixth round").
 */
export function anyUuid(column: AnyColumn, values: Iterable<string> | Placeholder): SQL {
  // A placeholder: the list comes at execution, for a statement built once (server/db/per-database.ts).
  return sql`${column} = any(${values instanceof Placeholder ? values : sql.param([...values])}::uuid[])`;
}

const RawResult = z.object({ rows: z.array(z.unknown()) });

/** The rows of a raw `execute(sql…)`: both drivers answer `{ rows }`, which the common Db type leaves unknown. */
export function rowsOf(result: unknown): unknown[] {
  return RawResult.parse(result).rows;
}

/**
 * One row of a raw statement's `returning` (columns under their database names) as the table's row,
 * each value decoded by its drizzle column as a query builder's answer is. Every column of the table
 * must be in the row: a missing one is an error, not an undefined field.
 */
export function tableRowOf<T extends PgTable>(table: T, raw: unknown): T['$inferSelect'] {
  const values = z.record(z.string(), z.unknown()).parse(raw);
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!(column.name in values)) {
      throw new Error(`column ${column.name} missing from the returned row`);
    }
    const v = values[column.name];
    out[key] = v === null ? null : column.mapFromDriverValue(v);
  }
  return out as T['$inferSelect'];
}
