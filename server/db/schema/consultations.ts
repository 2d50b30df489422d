import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { blobs, documents, meetings, users } from './core';

/** Server secrets kept in the database so every node of a cluster shares them (e.g. the mail-link HMAC key). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per sending of a meeting's invitation (giấy mời); the signed PDF is a meeting document. */
export const meetingInvitations = pgTable(
  'meeting_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'set null' }),
    sentBy: uuid('sent_by').references(() => users.id, { onDelete: 'set null' }),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    workingDays: integer('working_days').notNull(),
    shortNotice: boolean('short_notice').notNull(),
    extraordinary: boolean('extraordinary').notNull(),
    signed: boolean('signed').notNull(),
  },
  (t) => [index('meeting_invitations_meeting_idx').on(t.meetingId)],
);

export const invitationDeliveries = pgTable(
  'invitation_deliveries',
  {
    invitationId: uuid('invitation_id')
      .notNull()
      .references(() => meetingInvitations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    status: text('status', { enum: ['sent', 'failed', 'no_email', 'logged'] }).notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.invitationId, t.userId], name: 'invitation_deliveries_pk' })],
);

/** Written opinions between meetings (xin ý kiến bằng văn bản). */
export const consultations = pgTable(
  'consultations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    question: text('question').notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    requireSignature: boolean('require_signature').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => users.id, { onDelete: 'set null' }),
    reportSha256: text('report_sha256').references(() => blobs.sha256),
    reportSize: bigint('report_size', { mode: 'number' }),
  },
  (t) => [index('consultations_status_deadline_idx').on(t.status, t.deadline)],
);

export const consultationDocuments = pgTable(
  'consultation_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    pages: integer('pages').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consultation_documents_idx').on(t.consultationId)],
);

export const consultationMembers = pgTable(
  'consultation_members',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.userId], name: 'consultation_members_pk' }), index('consultation_members_user_idx').on(t.userId)],
);

/** One answer per (consultation, member): the primary key makes a second answer a conflict, not a duplicate. */
export const consultationAnswers = pgTable(
  'consultation_answers',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    choice: text('choice', { enum: ['agree', 'disagree', 'other'] }).notNull(),
    comment: text('comment').notNull().default(''),
    /** Base64 DER detached CMS when the member signed the answer (docs/signatures.md "Signed ballots"). */
    signatureCms: text('signature_cms'),
    signerSubject: text('signer_subject'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.userId], name: 'consultation_answers_pk' })],
);

/** Reminders already sent: the scheduler computes what is due from these rows, so a restart never resends or forgets one. */
export const consultationReminders = pgTable(
  'consultation_reminders',
  {
    consultationId: uuid('consultation_id')
      .notNull()
      .references(() => consultations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['before_deadline'] }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.userId, t.kind], name: 'consultation_reminders_pk' })],
);
