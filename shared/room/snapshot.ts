import { z } from 'zod';
import { MajorityBase } from '../domain/majority';
import { MeetingRole } from '../roles';
import { Correction, PollKind } from './schemas';

/** Server→client state of the live room. */

export const MeetingState = z.object({
  meetingId: z.uuid(),
  title: z.string(),
  status: z.enum(['draft', 'published', 'in_progress', 'closed']),
  paused: z.boolean(),
  currentItemId: z.uuid().nullable(),
});
export type MeetingState = z.infer<typeof MeetingState>;

export const AgendaItemView = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  position: z.number().int(),
  title: z.string(),
  kind: z.enum(['report', 'resolution', 'election']),
});
export type AgendaItemView = z.infer<typeof AgendaItemView>;

export const AttendanceEntry = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: MeetingRole,
  present: z.boolean(),
  reason: z.string().nullable(),
  /** "self" = checked in on their device; "staff" = marked by chair/secretary; null = never recorded. */
  source: z.enum(['self', 'staff']).nullable(),
});
export type AttendanceEntry = z.infer<typeof AttendanceEntry>;

export const QuorumView = z.object({
  present: z.number().int(),
  total: z.number().int(),
  required: z.number().int(),
  met: z.boolean(),
  num: z.number().int(),
  den: z.number().int(),
});
export type QuorumView = z.infer<typeof QuorumView>;

export const SpeakerView = z.object({
  requestId: z.uuid(),
  userId: z.uuid(),
  displayName: z.string(),
  itemId: z.uuid().nullable(),
  status: z.enum(['waiting', 'speaking', 'done', 'withdrawn']),
  position: z.number().int(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  limitSeconds: z.number().int().nullable(),
});
export type SpeakerView = z.infer<typeof SpeakerView>;

export const PollOption = z.object({ id: z.string(), label: z.string() });
export type PollOption = z.infer<typeof PollOption>;

export const PollStatus = z.enum(['draft', 'open', 'closed', 'cancelled']);
export type PollStatus = z.infer<typeof PollStatus>;

export const PollProgress = z.object({ voted: z.number().int(), eligible: z.number().int() });
export type PollProgress = z.infer<typeof PollProgress>;

/** A poll counted on paper: the counting committee's figures, entered by hand by the secretariat. */
export const PaperFigures = z.object({
  issued: z.number().int(),
  returned: z.number().int(),
  invalid: z.number().int(),
  note: z.string().nullable(),
  enteredBy: z.string().nullable(),
  enteredAt: z.string(),
});
export type PaperFigures = z.infer<typeof PaperFigures>;

export const PollResult = z.object({
  counts: z.record(z.string(), z.number().int()),
  /** Size of the majority base (all voting members | present | ballots cast). */
  base: z.number().int(),
  /** Percentage of the base per option, two decimals. */
  percent: z.record(z.string(), z.number()),
  /** Votes needed to pass (yes for resolutions, per candidate for elections). */
  needed: z.number().int(),
  /** yes/no/abstain: passed by the rule; elections: at least one candidate elected. */
  passed: z.boolean(),
  /** Elections: elected candidate ids; tie = tied for the last seat. */
  elected: z.array(z.string()).nullable(),
  tie: z.boolean(),
  /**
   * True when `named` and `notVoted` were left out of this copy (delegates get counts only in
   * broadcasts and snapshots: a 1,000-name list to 1,000 clients on every close is O(N²));
   * `poll:result` returns them. The server always sends it; absent (older servers) = false.
   */
  listsOmitted: z.boolean().optional(),
  /** Named polls: who voted what. Null for secret polls, and when `listsOmitted`. */
  named: z.array(z.object({ userId: z.uuid(), displayName: z.string(), choice: z.array(z.string()) })).nullable(),
  /** Eligible members without a ballot ([] when `listsOmitted`). */
  notVoted: z.array(z.object({ userId: z.uuid(), displayName: z.string() })),
  eligible: z.number().int(),
  present: z.number().int(),
  cast: z.number().int(),
});
export type PollResult = z.infer<typeof PollResult>;

export const PollView = z.object({
  pollId: z.uuid(),
  meetingId: z.uuid(),
  itemId: z.uuid().nullable(),
  title: z.string(),
  kind: PollKind,
  options: z.array(PollOption),
  maxChoices: z.number().int(),
  secret: z.boolean(),
  base: MajorityBase,
  threshold: z.object({ num: z.number().int(), den: z.number().int(), strict: z.boolean() }),
  correction: Correction,
  durationSeconds: z.number().int().nullable(),
  hideTally: z.boolean(),
  status: PollStatus,
  openedAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  replacesPollId: z.uuid().nullable(),
  reason: z.string().nullable(),
  progress: PollProgress,
  /** Running counts; null while hidden from this viewer (hideTally) or for drafts. */
  counts: z.record(z.string(), z.number().int()).nullable(),
  result: PollResult.nullable(),
  /** Counted on paper and entered by hand (absent or null: counted by the system). */
  paper: PaperFigures.nullable().optional(),
});
export type PollView = z.infer<typeof PollView>;

export const MyBallot = z.object({
  pollId: z.uuid(),
  ballotId: z.uuid().nullable(),
  /** Null for secret polls: the server cannot know it (no voter→ballot link). */
  choice: z.array(z.string()).nullable(),
});
export type MyBallot = z.infer<typeof MyBallot>;

export const RoomSnapshot = z.object({
  meeting: MeetingState,
  agenda: z.array(AgendaItemView),
  currentItem: AgendaItemView.nullable(),
  me: z.object({
    userId: z.uuid(),
    role: MeetingRole,
    /** Chair, or secretary to whom the chair delegated the room. */
    canRunRoom: z.boolean(),
    canVote: z.boolean(),
  }),
  /**
   * "all": every member (chair, secretary, observers and the hall display); "self": only my own entry
   * (delegates: a full list per join is O(N²) for a big meeting) — `quorum` has the counts.
   * The server always sends it; absent (older servers) = "all".
   */
  attendanceScope: z.enum(['all', 'self']).optional(),
  attendance: z.array(AttendanceEntry),
  quorum: QuorumView,
  speakers: z.array(SpeakerView),
  /** Every poll of the meeting, oldest first. */
  polls: z.array(PollView),
  /** The open poll, if any (also in `polls`). */
  openPoll: PollView.nullable(),
  /** My ballots in this meeting (one per poll I voted in). */
  myBallots: z.array(MyBallot),
  serverTime: z.string(),
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;

/**
 * A meeting document was uploaded (or minutes generated), its metadata or bytes changed (a signed
 * revision) or it was revoked. Ids only: documents are visible per user (confidentiality), so the
 * client re-reads GET /api/meetings/:id/package, which enforces access.
 */
export const DocumentChange = z.enum(['added', 'updated', 'revoked']);
export type DocumentChange = z.infer<typeof DocumentChange>;
export const DocumentsChanged = z.object({ meetingId: z.string(), documentId: z.string(), change: DocumentChange });
export type DocumentsChanged = z.infer<typeof DocumentsChanged>;
