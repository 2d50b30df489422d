import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';

/**
 * `column = any($1::uuid[])` with the whole list as ONE parameter, for the room's per-batch statements.
 * drizzle's inArray writes one parameter per value, so the statement's text changes with the batch
 * size: PostgreSQL and PgliteStatements then plan each size anew, and drizzle builds N chunks every
 * time (its query building was ≈ 10 % of the server's CPU per ballot in the vote profile,
 * docs/benchmarks.md "Live room, sixth round").
 */
export function anyUuid(column: AnyColumn, values: Iterable<string>): SQL {
  return sql`${column} = any(${sql.param([...values])}::uuid[])`;
}

const RawResult = z.object({ rows: z.array(z.unknown()) });

/** The rows of a raw `execute(sql…)`: both drivers answer `{ rows }`, which the common Db type leaves unknown. */
export function rowsOf(result: unknown): unknown[] {
  return RawResult.parse(result).rows;
}
