import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agendaItems, meetings, users } from './core';

/** Live-room tables. Everything the room shows is rebuilt from these after a restart. */

export const attendance = pgTable(
  'attendance',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    present: boolean('present').notNull(),
    reason: text('reason'),
    source: text('source', { enum: ['self', 'staff'] }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] })],
);

export const speakerRequests = pgTable(
  'speaker_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['waiting', 'speaking', 'done', 'withdrawn'] }).notNull(),
    position: integer('position').notNull(),
    limitSeconds: integer('limit_seconds'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('speaker_requests_meeting_idx').on(t.meetingId, t.status)],
);

export const polls = pgTable(
  'polls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['yes_no_abstain', 'election'] }).notNull(),
    /** JSON array of {id,label}. */
    options: text('options').notNull(),
    maxChoices: integer('max_choices').notNull().default(1),
    secret: boolean('secret').notNull(),
    base: text('base', { enum: ['all', 'present', 'cast'] }).notNull(),
    thresholdNum: integer('threshold_num').notNull(),
    thresholdDen: integer('threshold_den').notNull(),
    thresholdStrict: boolean('threshold_strict').notNull(),
    correction: text('correction', { enum: ['change_until_close', 'final'] }).notNull(),
    durationSeconds: integer('duration_seconds'),
    hideTally: boolean('hide_tally').notNull(),
    /** Counted on paper by the counting committee; the figures are in paper_results. */
    countedOnPaper: boolean('counted_on_paper').notNull().default(false),
    status: text('status', { enum: ['draft', 'open', 'closed', 'cancelled'] }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    /** Countdown end, stored so a restarted server still closes the poll on time. */
    closesAt: timestamp('closes_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Voting members and present ones, frozen when the poll closes (the result's bases). */
    eligibleAtClose: integer('eligible_at_close'),
    presentAtClose: integer('present_at_close'),
    /** Cancel / reopen reason or quorum override reason. */
    reason: text('reason'),
    replacesPollId: uuid('replaces_poll_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('polls_meeting_idx').on(t.meetingId), index('polls_open_idx').on(t.status, t.closesAt)],
);

/**
 * Named ballots: one per (poll, voter), enforced by UNIQUE. `id` is the client's ballot id, so a
 * retried cast finds its own row and is acknowledged without a second effect.
 */
export const namedBallots = pgTable(
  'named_ballots',
  {
    id: uuid('id').primaryKey(),
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    voterId: uuid('voter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** JSON array of option ids. */
    choice: text('choice').notNull(),
    /** Optional detached CMS (base64) and the signed fields (verifies them). */
    signature: text('signature'),
    nonce: text('nonce'),
    castAt: text('cast_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('named_ballots_poll_voter_uq').on(t.pollId, t.voterId)],
);

/**
 * Secret polls, part 1: WHO has voted. `ballot_id` is the client's id (idempotent retries); it is
 * never stored with the counters (secret_tallies), so nothing links a voter to a choice.
 */
export const secretVoters = pgTable(
  'secret_voters',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ballotId: uuid('ballot_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] })],
);

/**
 * Secret polls, part 2: WHAT was voted, as counters per (poll, option) updated in place; the key
 * SECRET_BALLOTS_KEY counts ballots (a blank election ballot chooses no option). There is no row per
 * ballot, so no row order, id, timestamp or batch position can pair a voter with a choice; and every
 * transaction that counts ballots rewrites ALL of the poll's counters (adding 0 to the options not
 * chosen), so the rows' system columns (ctid, xmin) say only "the last ballot was counted then",
 * never which counter it moved (docs/architecture.md "Guarantees of a vote").
 */
export const secretTallies = pgTable(
  'secret_tallies',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    optionId: text('option_id').notNull(),
    votes: integer('votes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.optionId] })],
);

/** The counter of ballots cast in secret_tallies (option ids are yes/no/abstain/c0…, never this). */
export const SECRET_BALLOTS_KEY = '#ballots';
