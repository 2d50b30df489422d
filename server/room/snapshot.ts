import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import { namedBallots, polls, secretVoters } from '../db/schema';
import { parseChoice, pollView } from '../polls/tally';
import type { AgendaItemView, AttendanceEntry, MyBallot, RoomSnapshot, SpeakerView } from '../../shared/room/snapshot';
import type { PollView } from '../../shared/room/events';
import { quorum } from '../../shared/domain/quorum';
import type { Member } from '../meetings/member';
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

/** The member's own ballots in the visible polls: one statement (none before the first poll). */
async function myBallotsOf(db: Executor, userId: string, pollIds: string[]): Promise<MyBallot[]> {
  if (pollIds.length === 0) {
    return [];
  }
  const named = db
    .select({ pollId: namedBallots.pollId, ballotId: namedBallots.id, choice: namedBallots.choice })
    .from(namedBallots)
    .where(and(inArray(namedBallots.pollId, pollIds), eq(namedBallots.voterId, userId)));
  // A secret ballot's choice is never stored with its voter: null here.
  const secret = db
    .select({ pollId: secretVoters.pollId, ballotId: secretVoters.ballotId, choice: sql<string | null>`null::text` })
    .from(secretVoters)
    .where(and(inArray(secretVoters.pollId, pollIds), eq(secretVoters.userId, userId)));
  const rows = await unionAll(secret, named);
  return rows.map((b) => ({ pollId: b.pollId, ballotId: b.ballotId, choice: b.choice === null ? null : parseChoice(b.choice) }));
}

/**
 * The full room as one member sees it (join, resync, after restart): the audience's shared part
 * (from `shared`, e.g. the node's SnapshotCache, or read now) and the member's own part.
 */
export async function buildSnapshot(db: Executor, m: Member, shared?: SharedSnapshot): Promise<RoomSnapshot> {
  const staff = isStaff(m);
  const roster = seesRoster(m);
  const s = shared ?? (await buildShared(db, m.meeting.id, staff, roster));
  const myBallots = await myBallotsOf(
    db,
    m.userId,
    s.polls.map((p) => p.pollId),
  );
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
