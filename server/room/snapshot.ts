import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { namedBallots, polls, secretVoters } from '../db/schema';
import { parseChoice, pollView } from '../polls/tally';
import type { MyBallot, RoomSnapshot } from '../../shared/room/snapshot';
import { quorum } from '../../shared/domain/quorum';
import type { Member } from '../meetings/member';
import { isRunner, isStaff, seesRoster } from './members';
import { votingCounts } from '../meetings/voting-members';
import { agendaOf, attendanceOf, meetingState, quorumOf, speakersOf } from './state';

/** The full room as one member sees it, rebuilt from the database (join, resync, after restart). */
export async function buildSnapshot(db: Executor, m: Member): Promise<RoomSnapshot> {
  const meetingId = m.meeting.id;
  const staff = isStaff(m);
  const roster = seesRoster(m);
  const [agenda, attendance, speakers, pollRows, counts] = await Promise.all([
    agendaOf(db, meetingId),
    // Delegates: their own entry; the counts are in `quorum` (O(N) per join, not O(N²)).
    attendanceOf(db, meetingId, roster ? undefined : m.userId),
    speakersOf(db, meetingId),
    db.select().from(polls).where(eq(polls.meetingId, meetingId)).orderBy(asc(polls.createdAt)),
    votingCounts(db, meetingId),
  ]);
  const visible = pollRows.filter((p) => staff || p.status !== 'draft');
  const views = [];
  for (const p of visible) {
    views.push(await pollView(db, p, { staff, lists: roster }, counts.eligible));
  }
  const ids = visible.map((p) => p.id);
  const myBallots: MyBallot[] = [];
  if (ids.length > 0) {
    const named = await db
      .select({ pollId: namedBallots.pollId, id: namedBallots.id, choice: namedBallots.choice })
      .from(namedBallots)
      .where(and(inArray(namedBallots.pollId, ids), eq(namedBallots.voterId, m.userId)));
    for (const b of named) {
      myBallots.push({ pollId: b.pollId, ballotId: b.id, choice: parseChoice(b.choice) });
    }
    const secret = await db
      .select({ pollId: secretVoters.pollId, ballotId: secretVoters.ballotId })
      .from(secretVoters)
      .where(and(inArray(secretVoters.pollId, ids), eq(secretVoters.userId, m.userId)));
    for (const b of secret) {
      myBallots.push({ pollId: b.pollId, ballotId: b.ballotId, choice: null });
    }
  }
  return {
    meeting: meetingState(m.meeting),
    agenda,
    currentItem: agenda.find((a) => a.id === m.meeting.currentItemId) ?? null,
    me: { userId: m.userId, role: m.role, canRunRoom: isRunner(m), canVote: m.role === 'chair' || m.role === 'delegate' },
    attendanceScope: roster ? 'all' : 'self',
    attendance,
    quorum: roster ? quorumOf(attendance, m.meeting) : quorum(counts.present, counts.eligible, { num: m.meeting.quorumNum, den: m.meeting.quorumDen }),
    speakers,
    polls: views,
    openPoll: views.find((v) => v.status === 'open') ?? null,
    myBallots,
    serverTime: new Date().toISOString(),
  };
}
