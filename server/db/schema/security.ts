import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { blobs, documents, users } from './core';

/**
 * Sign-in throttle counters (server/auth/throttle.ts), shared by every node. Keys: `pair:<ip>|<name>`,
 * `ip:<ip>`, `acct:<name>` with the normalised username, whether or not such an account exists.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  /** The next attempt with this key is refused (429) before this time. */
  nextAt: timestamp('next_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per-reader watermarked copies of confidential documents (server/documents/reader-copy.ts): made once
 * per (document, reader), so the reader's ETag, Range offsets and the manifest's sha256 stay stable.
 */
export const documentCopies = pgTable(
  'document_copies',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    stampedAt: timestamp('stamped_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
);
