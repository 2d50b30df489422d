import { and, asc, eq, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../db/client';
import { perDatabase } from '../db/per-database';
import { namedBallots, polls, secretVoters } from '../db/schema';
import { parseChoice, pollView } from '../polls/tally';
import type { AgendaItemView, AttendanceEntry, MyBallot, RoomSnapshot, SpeakerView } from '../../shared/room/snapshot';
import type { PollView } from '../../shared/room/events';
import { quorum } from '../../shared/domain/quorum';
import { memberKey, type Member } from '../meetings/member';
import { isRunner, isStaff, seesRoster } from './members';
import { votingCounts } from '../meetings/voting-members';
import { agendaOf, attendanceOf, meetingState, quorumOf, speakersOf } from './state';

/** What every member of one audience of a meeting sees alike (server/room/snapshot-cache.ts). */
export interface SharedSnapshot {
  readonly agenda: AgendaItemView[];
  /** Roster audience: everyone's entry; delegates: everyone's too, each join picks its own. */
  readonly attendance: AttendanceEntry[];
  readonly attendanceOf: ReadonlyMap<string, AttendanceEntry>;
  readonly speakers: SpeakerView[];
  readonly polls: PollView[];
  readonly counts: { eligible: number; present: number };
}

/** The shared part of a snapshot, from the database: five statements plus one per visible poll. */
export async function buildShared(db: Executor, meetingId: string, staff: boolean, roster: boolean): Promise<SharedSnapshot> {
  const [agenda, attendance, speakers, pollRows, counts] = await Promise.all([
    agendaOf(db, meetingId),
    // One list for the audience, read once per change; a delegate's join picks its own entry
    // from it (O(N) once, not O(N) per join).
    attendanceOf(db, meetingId),
    speakersOf(db, meetingId),
    db.select().from(polls).where(eq(polls.meetingId, meetingId)).orderBy(asc(polls.createdAt)),
    votingCounts(db, meetingId),
  ]);
  const visible = pollRows.filter((p) => staff || p.status !== 'draft');
  const views: PollView[] = [];
  for (const p of visible) {
    views.push(await pollView(db, p, { staff, lists: roster }, counts.eligible));
  }
  return { agenda, attendance, attendanceOf: new Map(attendance.map((a) => [a.userId, a])), speakers, polls: views, counts };
}

/**
 * Each (meeting, user) pair's own ballots in that meeting's polls, keyed by memberKey; pairs without
 * any are absent. One statement for every join of a reconnect storm (server/db/read-batch.ts): one
 * per join was ≈ 1 ms of the server's CPU each on PGlite, and a mid-meeting reconnect of 1,000
 * delegates cost twice the CPU of their first connect (docs/benchmarks.md "Live room, eighteenth round").
 */
export async function readOwnBallots(db: Db, pairs: readonly (readonly [meetingId: string, userId: string])[]): Promise<Map<string, MyBallot[]>> {
  const rows = await ownBallotsRead(db).execute({ meetingIds: pairs.map(([m]) => m), userIds: pairs.map(([, u]) => u) });
  const out = new Map<string, MyBallot[]>();
  for (const b of rows) {
    const key = memberKey(b.meetingId, b.userId);
    let list = out.get(key);
    if (!list) {
      list = [];
      out.set(key, list);
    }
    list.push({ pollId: b.pollId, ballotId: b.ballotId, choice: b.choice === null ? null : parseChoice(b.choice) });
  }
  return out;
}

/**
 * The statement of readOwnBallots, its parameters `meetingIds` and `userIds` (its plan is tested:
 * tests/integration/plan-cache.test.ts): the pairs as a relation, each pair's meeting's polls, and
 * each poll's ballot of the user by its (poll, voter) key. The ballot lookups are LATERAL with a
 * LIMIT, which the planner cannot merge into a hash join over the whole ballot table: statistics
 * taken before a vote filled it make such a join look cheap.
 */
export function ownBallotsQuery(db: Executor) {
  const named = db
    .select({ ballotId: namedBallots.id, choice: namedBallots.choice })
    .from(namedBallots)
    .where(and(eq(namedBallots.pollId, polls.id), sql`${namedBallots.voterId} = pr.user_id`))
    .limit(1)
    .as('b');
  // A secret ballot's choice is never stored with its voter: null here.
  const secret = db
    .select({ ballotId: secretVoters.ballotId, choice: sql<string | null>`null::text`.as('choice') })
    .from(secretVoters)
    .where(and(eq(secretVoters.pollId, polls.id), sql`${secretVoters.userId} = pr.user_id`))
    .limit(1)
    .as('s');
  // Each pair's meeting's polls, with the user's ballot in each from `ballot`.
  const perPoll = (ballot: typeof named | typeof secret) =>
    db
      .select({ meetingId: polls.meetingId, userId: sql<string>`pr.user_id`, pollId: polls.id, ballotId: ballot.ballotId, choice: ballot.choice })
      .from(sql`unnest(${sql.placeholder('meetingIds')}::uuid[], ${sql.placeholder('userIds')}::uuid[]) as pr(meeting_id, user_id)`)
      .innerJoin(polls, sql`${polls.meetingId} = pr.meeting_id`)
      .innerJoinLateral(ballot, sql`true`);
  return unionAll(perPoll(secret), perPoll(named));
}

const ownBallotsRead = perDatabase((db) => ownBallotsQuery(db).prepare('room_own_ballots_read'));

/** The member's own ballots in a meeting's polls (the room batches these: RoomContext.ownBallots). */
export type OwnBallotsOf = (m: Member) => Promise<readonly MyBallot[]>;

/**
 * The full room as one member sees it (join, resync, after restart): the audience's shared part
 * (from `shared`, e.g. the node's SnapshotCache, or read now) and the member's own part (their
 * ballots from `ownBallots`).
 */
export async function buildSnapshot(db: Executor, m: Member, ownBallots: OwnBallotsOf, shared?: SharedSnapshot): Promise<RoomSnapshot> {
  const staff = isStaff(m);
  const roster = seesRoster(m);
  const s = shared ?? (await buildShared(db, m.meeting.id, staff, roster));
  // None before the meeting's first visible poll: no read at all.
  const visible = new Set(s.polls.map((p) => p.pollId));
  const mine = visible.size === 0 ? [] : await ownBallots(m);
  const myBallots = mine.filter((b) => visible.has(b.pollId));
  const own = s.attendanceOf.get(m.userId);
  // Delegates: their own entry; the counts are in `quorum`.
  const attendance = roster ? s.attendance : own ? [own] : [];
  return {
    meeting: meetingState(m.meeting),
    agenda: s.agenda,
    currentItem: s.agenda.find((a) => a.id === m.meeting.currentItemId) ?? null,
    me: { userId: m.userId, role: m.role, canRunRoom: isRunner(m), canVote: m.role === 'chair' || m.role === 'delegate' },
    attendanceScope: roster ? 'all' : 'self',
    attendance,
    quorum: roster ? quorumOf(attendance, m.meeting) : quorum(s.counts.present, s.counts.eligible, { num: m.meeting.quorumNum, den: m.meeting.quorumDen }),
    speakers: s.speakers,
    polls: s.polls,
    openPoll: s.polls.find((v) => v.status === 'open') ?? null,
    myBallots,
    serverTime: new Date().toISOString(),
  };
}
