import { date, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { councils, users } from './core';

/**
 * A council's own non-working days (Tết, Giỗ Tổ, announced days off): one row per council and date.
 * Weekends and the fixed solar holidays are rules (shared/domain/working-days.ts), never rows.
 */
export const councilNonWorkingDays = pgTable(
  'council_non_working_days',
  {
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.day] })],
);
