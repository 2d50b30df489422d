import { z } from 'zod';
import { MajorityBase, Threshold } from '../domain/majority';

/**
 * Zod schemas of every client→server payload of the live room (docs/protocol.md).
 * The server parses each payload with these before anything else; types are no validation.
 */

const Id = z.uuid();
const Reason = z.string().trim().min(1).max(500);
const MeetingRef = z.strictObject({ meetingId: Id });

export const MeetingJoin = MeetingRef;
export const MeetingLeave = MeetingRef;
export const MeetingSnapshotReq = MeetingRef;
export const MeetingStart = MeetingRef;
export const MeetingPause = MeetingRef;
export const MeetingResume = MeetingRef;
export const MeetingEnd = MeetingRef;
export const AgendaSetCurrent = z.strictObject({ meetingId: Id, itemId: Id.nullable() });

export const AttendanceCheckIn = MeetingRef;
export const AttendanceMark = z.strictObject({
  meetingId: Id,
  userId: Id,
  present: z.boolean(),
  reason: Reason.optional(),
});

export const SpeakerRequest = z.strictObject({ meetingId: Id, itemId: Id.nullable().optional() });
export const SpeakerRef = z.strictObject({ meetingId: Id, requestId: Id });
export const SpeakerWithdraw = SpeakerRef;
export const SpeakerGrant = z.strictObject({
  meetingId: Id,
  requestId: Id,
  /** Speaking time limit in seconds; absent = no limit. */
  limitSeconds: z.number().int().min(10).max(3600).optional(),
});
export const SpeakerEnd = SpeakerRef;
export const SpeakerReorder = z.strictObject({ meetingId: Id, order: z.array(Id).min(1).max(2000) });

export const PollKind = z.enum(['yes_no_abstain', 'election']);
export type PollKind = z.infer<typeof PollKind>;
export const Correction = z.enum(['change_until_close', 'final']);
export type Correction = z.infer<typeof Correction>;

/** The settings of a poll (create and draft edit share them). */
const pollSettings = {
  /** Agenda item; absent = the meeting's current item. */
  itemId: Id.nullable().optional(),
  title: z.string().trim().min(1).max(500),
  kind: PollKind,
  /** Election only: the candidates' names (2…200). */
  candidates: z.array(z.string().trim().min(1).max(200)).min(1).max(200).optional(),
  /** Election only: a voter may choose up to this many candidates (seats). */
  maxChoices: z.number().int().min(1).max(200).optional(),
  secret: z.boolean().default(false),
  base: MajorityBase.default('all'),
  threshold: Threshold.default({ kind: 'gt_half' }),
  /** Secret polls are always final (see docs/protocol.md "Secret ballots"). */
  correction: Correction.default('final'),
  /** Countdown: the poll closes by itself this many seconds after opening. */
  durationSeconds: z.number().int().min(1).max(24 * 3600).optional(),
  /** Delegates see only progress (voted / eligible) until the poll closes. */
  hideTally: z.boolean().default(false),
};

type PollSettingsOut = z.output<z.ZodObject<typeof pollSettings>>;

/** Rules across fields of a poll's settings (create and edit). */
function checkPollSettings(p: PollSettingsOut, ctx: z.RefinementCtx): void {
  if (p.kind === 'election') {
    if (!p.candidates || p.candidates.length < 1) {
      ctx.addIssue({ code: 'custom', message: 'An election needs candidates', path: ['candidates'] });
    } else if (new Set(p.candidates).size !== p.candidates.length) {
      ctx.addIssue({ code: 'custom', message: 'Candidate names must be distinct', path: ['candidates'] });
    } else if ((p.maxChoices ?? 1) > p.candidates.length) {
      ctx.addIssue({ code: 'custom', message: 'maxChoices exceeds the number of candidates', path: ['maxChoices'] });
    }
  } else if (p.candidates !== undefined || p.maxChoices !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'candidates/maxChoices are for elections only', path: ['candidates'] });
  }
  if (p.secret && p.correction === 'change_until_close') {
    ctx.addIssue({ code: 'custom', message: 'Secret ballots are final on first cast', path: ['correction'] });
  }
}

export const PollCreate = z.strictObject({ meetingId: Id, ...pollSettings }).superRefine(checkPollSettings);
export type PollCreate = z.input<typeof PollCreate>;

/**
 * Replaces every setting of a DRAFT poll (the secretariat prepares polls per item).
 * Absent optional fields mean "none" (no countdown, default rule), except `itemId`: absent = keep.
 */
export const PollEdit = z.strictObject({ meetingId: Id, pollId: Id, ...pollSettings }).superRefine(checkPollSettings);
export type PollEdit = z.input<typeof PollEdit>;

export const PollRef = z.strictObject({ meetingId: Id, pollId: Id });
export const PollOpen = z.strictObject({
  meetingId: Id,
  pollId: Id,
  /** Chair override when quorum is not met; audited. */
  overrideQuorumReason: Reason.optional(),
});
export const PollClose = PollRef;
export const PollCancel = z.strictObject({ meetingId: Id, pollId: Id, reason: Reason });
export const PollReopen = z.strictObject({ meetingId: Id, pollId: Id, reason: Reason });
/** Deletes a DRAFT poll (never one that was opened: those stay on record). */
export const PollDelete = PollRef;
/** Staff: who has not voted yet in an open poll (the chair calls the names). */
export const PollPending = PollRef;
/** The full result of a closed poll with its name lists (delegates' copies leave them out). */
export const PollResultRequest = PollRef;

/** Option ids: "yes" | "no" | "abstain" for yes/no/abstain polls, "c0"… "c199" for candidates. */
export const OptionId = z.string().regex(/^(yes|no|abstain|c\d{1,3})$/);

const PaperCount = z.number().int().min(0).max(1_000_000);
/**
 * Staff: the counting committee's figures for a DRAFT poll counted on paper (secret personnel
 * elections in the hall). Entering them closes the poll with these counts, marked as entered by hand.
 * Cross-checks against the poll's options and seats are made by the server, which knows them.
 */
export const PollPaperResult = z
  .strictObject({
    meetingId: Id,
    pollId: Id,
    /** Ballots handed out, returned to the box, and returned but invalid. */
    issued: PaperCount,
    returned: PaperCount,
    invalid: PaperCount,
    /** Valid ballots per option id (missing options count 0). */
    counts: z.record(OptionId, PaperCount).refine((c) => Object.keys(c).length <= 200, 'At most 200 options'),
    /** The counting committee's record: members, minute number. */
    note: z.string().trim().max(1000).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.returned > p.issued) {
      ctx.addIssue({ code: 'custom', message: 'Returned ballots cannot exceed issued ballots', path: ['returned'] });
    }
    if (p.invalid > p.returned) {
      ctx.addIssue({ code: 'custom', message: 'Invalid ballots cannot exceed returned ballots', path: ['invalid'] });
    }
  });
export type PollPaperResult = z.input<typeof PollPaperResult>;

export const BallotCast = z.strictObject({
  meetingId: Id,
  pollId: Id,
  /** Chosen by the client (random UUID) and reused for every retry: retries are idempotent. */
  ballotId: Id,
  /** yes/no/abstain: exactly one option; election: 0…maxChoices distinct candidates (0 = blank ballot). */
  choice: z.array(OptionId).max(200),
  /** Named polls only: detached CMS (base64) over RFC 8785 JSON of {meetingId,pollId,choice,nonce,castAt}. */
  signature: z.string().min(16).max(64 * 1024).regex(/^[A-Za-z0-9+/=]+$/).optional(),
  nonce: z.string().min(8).max(128).optional(),
  castAt: z.iso.datetime({ offset: true }).optional(),
});
export type BallotCast = z.infer<typeof BallotCast>;

/** Every client event with its schema: the server, the fuzz test and docs iterate over this. */
export const clientEventSchemas = {
  'meeting:join': MeetingJoin,
  'meeting:leave': MeetingLeave,
  'meeting:snapshot': MeetingSnapshotReq,
  'meeting:start': MeetingStart,
  'meeting:pause': MeetingPause,
  'meeting:resume': MeetingResume,
  'meeting:end': MeetingEnd,
  'agenda:setCurrent': AgendaSetCurrent,
  'attendance:checkIn': AttendanceCheckIn,
  'attendance:mark': AttendanceMark,
  'speaker:request': SpeakerRequest,
  'speaker:withdraw': SpeakerWithdraw,
  'speaker:grant': SpeakerGrant,
  'speaker:end': SpeakerEnd,
  'speaker:reorder': SpeakerReorder,
  'poll:create': PollCreate,
  'poll:open': PollOpen,
  'poll:close': PollClose,
  'poll:cancel': PollCancel,
  'poll:reopen': PollReopen,
  'poll:edit': PollEdit,
  'poll:delete': PollDelete,
  'poll:pending': PollPending,
  'poll:result': PollResultRequest,
  'poll:paper': PollPaperResult,
  'ballot:cast': BallotCast,
} as const;
export type ClientEventName = keyof typeof clientEventSchemas;
export const CLIENT_EVENTS = Object.keys(clientEventSchemas) as ClientEventName[];
