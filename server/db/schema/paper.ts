import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './core';
import { polls } from './room';

/**
 * Figures of a poll counted on paper (secret personnel elections in the hall): the counting
 * committee's record, entered by the secretary. One row per poll; the poll itself is closed in the
 * same transaction, so a paper result is never half-entered. Counts only: paper ballots are never
 * linked to anyone.
 */
export const paperResults = pgTable(
  'paper_results',
  {
    pollId: uuid('poll_id')
      .primaryKey()
      .references(() => polls.id, { onDelete: 'cascade' }),
    /** JSON object option id → number of valid ballots choosing it. */
    counts: text('counts').notNull(),
    issued: integer('issued').notNull(),
    returned: integer('returned').notNull(),
    invalid: integer('invalid').notNull(),
    /** The counting committee's record (members, minute number) as the secretary wrote it. */
    note: text('note'),
    enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('paper_results_figures_ck', sql`${t.invalid} >= 0 AND ${t.invalid} <= ${t.returned} AND ${t.returned} <= ${t.issued}`)],
);
