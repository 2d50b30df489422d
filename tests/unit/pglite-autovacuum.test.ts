import { describe, expect, it } from 'vitest';
import { tablesDue } from '../../server/db/pglite-autovacuum';

describe('tablesDue (autovacuum default thresholds)', () => {
  const row = (relname: string, reltuples: number, bytes: number, live: number, dead: number, modified: number) => ({ relname, reltuples, bytes, live, dead, modified });

  it('analyzes past 50 + 10 % modified rows, vacuums past 50 + 20 % dead rows, and analyzes every never-analyzed table with data', () => {
    expect(
      tablesDue([
        row('quiet', 1000, 65536, 0, 10, 150),
        row('changed', 1000, 65536, 0, 10, 151),
        row('bloated', 1000, 65536, 0, 251, 0),
        row('grown since the last analysis', 10, 8192, 1000, 0, 151),
        row('never analyzed, counters lost at restart', -1, 8192, 0, 0, 0),
        row('never analyzed and empty', -1, 0, 0, 0, 0),
      ]),
    ).toEqual([
      { table: 'changed', vacuum: false },
      { table: 'bloated', vacuum: true },
      { table: 'grown since the last analysis', vacuum: false },
      { table: 'never analyzed, counters lost at restart', vacuum: false },
    ]);
  });
});
