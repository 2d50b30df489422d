import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { agendaItems, documents, meetings, users } from './core';
import { speakerRequests } from './room';

/**
 * The record the minutes are written from (server/minutes/): speaking turns with the secretary's
 * summary, the chair's conclusion per agenda item, and the minutes documents themselves.
 */

/**
 * One speaking turn. Created when the chair gives the floor (in the same transaction as the speaker
 * request turning `speaking`, `request_id` set) or by hand by the secretariat; `ended_at` is set when
 * the floor ends (or the meeting closes). The summary is the secretary's, editable during and after.
 */
export const speeches = pgTable(
  'speeches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    agendaItemId: uuid('agenda_item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The speaker request whose floor this turn records; null for a turn added by hand. */
    requestId: uuid('request_id').references(() => speakerRequests.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    summary: text('summary').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('speeches_meeting_idx').on(t.meetingId, t.startedAt), uniqueIndex('speeches_request_uq').on(t.requestId)],
);

/** The chair's conclusion on an agenda item (one per item; removing the text removes the row). */
export const agendaConclusions = pgTable(
  'agenda_conclusions',
  {
    agendaItemId: uuid('agenda_item_id')
      .primaryKey()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agenda_conclusions_meeting_idx').on(t.meetingId)],
);

/**
 * Minutes documents: which meeting document is minutes, its version, language and signature boxes.
 * A version stays a draft (staff only, replaceable) until the chair has signed it; then it is frozen
 * and generating again makes the next version (server/minutes/registry.ts).
 */
export const minutes = pgTable(
  'minutes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .unique()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    lang: text('lang', { enum: ['vi', 'en'] }).notNull(),
    /** JSON array of SignatureSlot (shared/signatures/minutes.ts). */
    slots: text('slots').notNull().default('[]'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('minutes_meeting_idx').on(t.meetingId, t.lang, t.version), check('minutes_version_ck', sql`${t.version} >= 1`)],
);

/**
 * The conclusion notice (thông báo kết luận) of a meeting, built from the chair's conclusions, with
 * the chair's signature box: one row per generated document, versioned like the minutes
 * (server/minutes/versions.ts): a draft is replaced (same version), a signed one is frozen and
 * generating again makes the next version. `sent_at` is when that version was mailed to the members.
 */
export const conclusionNotices = pgTable(
  'conclusion_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .unique()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull().default(1),
    lang: text('lang', { enum: ['vi', 'en'] }).notNull().default('vi'),
    /** JSON array of SignatureSlot (shared/signatures/minutes.ts): the chair's box. */
    slots: text('slots').notNull().default('[]'),
    issuedBy: uuid('issued_by').references(() => users.id, { onDelete: 'set null' }),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentCount: integer('sent_count').notNull().default(0),
  },
  (t) => [index('conclusion_notices_meeting_idx').on(t.meetingId, t.version), check('conclusion_notices_version_ck', sql`${t.version} >= 1`)],
);

/**
 * Who a notice version was mailed to and whether the SMTP server accepted it: one row per document and
 * member, rewritten by each attempt (`attempts` counts them), so the secretary sees who still lacks it
 * and resends only to them.
 */
export const conclusionNoticeDeliveries = pgTable(
  'conclusion_notice_deliveries',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    accepted: boolean('accepted').notNull(),
    /** The SMTP server's answer when it refused, or why nothing was sent. */
    error: text('error'),
    attempts: integer('attempts').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
);
