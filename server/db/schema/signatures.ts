import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { blobs, documents, users } from './core';

/**
 * Signed revisions of a document: each upload of a signed PDF revision is verified, stored
 * as a new blob and recorded here; the document row then points at the newest revision, and this
 * table keeps the history (seq 1 = the first signed revision).
 */
export const signedRevisions = pgTable(
  'signed_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    prevSha256: text('prev_sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    /** Subject of the signature this revision added. */
    signerSubject: text('signer_subject').notNull(),
    fieldName: text('field_name').notNull(),
    /** The verification report (shared/signatures/report.ts VerifyReport) as JSON. */
    report: text('report').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('signed_revisions_doc_seq_idx').on(t.documentId, t.seq)],
);

/** Certificates registered for a user (issued by the org CA): ballots must be signed with one of them. */
export const userCertificates = pgTable(
  'user_certificates',
  {
    serialHex: text('serial_hex').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    certSha256: text('cert_sha256').notNull(),
    certPem: text('cert_pem').notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_certificates_user_idx').on(t.userId), uniqueIndex('user_certificates_sha_idx').on(t.certSha256)],
);
