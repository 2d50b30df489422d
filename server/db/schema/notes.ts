import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documents, users } from './core';

/**
 * Private page notes ("private notes per document page, kept and synced"). One row per
 * (user, document, page); every query filters by the caller's user id, so no role ever reads another
 * user's notes. A deletion stays as a tombstone (`deleted`) so last-writer-wins by `updatedAt` also
 * holds for deletions pushed from a device that was offline.
 */
export const notes = pgTable(
  'notes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    text: text('text').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    /** When the user changed the note on their device (clamped to the server's clock on write). */
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.documentId, t.page] })],
);
