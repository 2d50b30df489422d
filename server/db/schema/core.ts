import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** Official title shown on stamps and minutes, e.g. "Chủ tịch HĐND xã". */
  title: text('title'),
  /** Where invitations, notices and reminders go (server/mail/); null = the user gets no mail. */
  email: text('email'),
  role: text('role', { enum: ['admin', 'secretary', 'chair', 'delegate', 'observer'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
});

/** Opaque session tokens: only the sha256 of the token is stored, so a database leak leaks no session. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const councils = pgTable('councils', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** peoples_council (HĐND) or peoples_committee (UBND). */
  kind: text('kind', { enum: ['peoples_council', 'peoples_committee'] }).notNull().default('peoples_council'),
  /** Quorum rule: present voting members ≥ num/den of all voting members (default 2/3). */
  quorumNum: integer('quorum_num').notNull().default(2),
  quorumDen: integer('quorum_den').notNull().default(3),
  /** Minutes after a meeting closes during which delegates can still read its confidential documents. */
  confidentialGraceMinutes: integer('confidential_grace_minutes').notNull().default(0),
  /** IANA zone the council's papers (minutes, notices, exports) state times in, whatever the server's zone. */
  timeZone: text('time_zone').notNull().default('Asia/Ho_Chi_Minh'),
  createdAt: createdAt(),
});

export const councilMembers = pgTable(
  'council_members',
  {
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.councilId, t.userId] })],
);

export const meetings = pgTable('meetings', {
  id: uuid('id').primaryKey().defaultRandom(),
  councilId: uuid('council_id').references(() => councils.id, { onDelete: 'set null' }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  location: text('location').notNull().default(''),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  status: text('status', { enum: ['draft', 'published', 'in_progress', 'closed'] })
    .notNull()
    .default('draft'),
  /** Live-room state: paused while in_progress, and the item everyone follows. */
  paused: boolean('paused').notNull().default(false),
  currentItemId: uuid('current_item_id'),
  /** Quorum rule copied from the council at creation, editable per meeting. */
  quorumNum: integer('quorum_num').notNull().default(2),
  quorumDen: integer('quorum_den').notNull().default(3),
  requireSignedBallots: boolean('require_signed_ballots').notNull().default(false),
  /** When the meeting actually went in_progress (the minutes' opening time). */
  startedAt: timestamp('started_at', { withTimezone: true }),
  /** When the meeting closed (confidential documents' grace period counts from here). */
  closedAt: timestamp('closed_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const meetingMembers = pgTable(
  'meeting_members',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['chair', 'secretary', 'delegate', 'observer'] }).notNull(),
    rsvp: text('rsvp', { enum: ['pending', 'attending', 'absent'] })
      .notNull()
      .default('pending'),
    rsvpReason: text('rsvp_reason'),
    /** The chair may delegate running the room to the secretary. */
    canRunRoom: boolean('can_run_room').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('meeting_members_user_idx').on(t.userId)],
);

export const agendaItems = pgTable(
  'agenda_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => agendaItems.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    presenter: text('presenter').notNull().default(''),
    kind: text('kind', { enum: ['report', 'resolution', 'election'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('agenda_items_meeting_idx').on(t.meetingId, t.parentId, t.position)],
);

/** Content-addressed blobs: identical files are stored once (file name = sha256). */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
});

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    agendaItemId: uuid('agenda_item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    pages: integer('pages').notNull(),
    confidentiality: text('confidentiality', { enum: ['public', 'internal', 'confidential'] })
      .notNull()
      .default('internal'),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /** Revoked documents leave the manifest; desktop caches purge them. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('documents_meeting_idx').on(t.meetingId)],
);

/** Hash-chained audit log: hash = sha256(prevHash || canonical JSON of the entry). */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    meetingId: uuid('meeting_id'),
    action: text('action').notNull(),
    data: text('data').notNull().default('{}'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_log_hash_idx').on(t.hash), index('audit_log_meeting_idx').on(t.meetingId)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
