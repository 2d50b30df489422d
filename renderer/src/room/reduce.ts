import type { MyBallot, PollView, RoomSnapshot, ServerToClientEvents, TallyUpdate } from '../../../shared/room/events';

/**
 * Applies one live event to the snapshot (pure, so it is unit-tested). The snapshot from join/resync
 * is the truth; events keep it current in between (no reload ever needed).
 */
export type RoomEvent =
  | { type: 'meeting:state'; payload: Parameters<ServerToClientEvents['meeting:state']>[0] }
  | { type: 'attendance:update'; payload: Parameters<ServerToClientEvents['attendance:update']>[0] }
  | { type: 'speakers:update'; payload: Parameters<ServerToClientEvents['speakers:update']>[0] }
  | { type: 'poll:update'; payload: PollView }
  | { type: 'poll:deleted'; payload: { meetingId: string; pollId: string } }
  | { type: 'poll:tally'; payload: TallyUpdate }
  | { type: 'ballot:mine'; payload: MyBallot & { meetingId: string } };

function upsertPoll(polls: readonly PollView[], p: PollView): PollView[] {
  const i = polls.findIndex((x) => x.pollId === p.pollId);
  if (i === -1) {
    return [...polls, p];
  }
  const next = [...polls];
  next[i] = p;
  return next;
}

export function reduceRoom(s: RoomSnapshot, e: RoomEvent): RoomSnapshot {
  switch (e.type) {
    case 'meeting:state': {
      if (e.payload.meetingId !== s.meeting.meetingId) {
        return s;
      }
      const currentItem = s.agenda.find((a) => a.id === e.payload.currentItemId) ?? null;
      return { ...s, meeting: e.payload, currentItem };
    }
    case 'attendance:update': {
      if (e.payload.meetingId !== s.meeting.meetingId) {
        return s;
      }
      // Delegates hold only their own entry (attendanceScope "self"): others update the counts.
      if (s.attendanceScope === 'self' && e.payload.entry.userId !== s.me.userId) {
        return { ...s, quorum: e.payload.quorum };
      }
      const others = s.attendance.filter((a) => a.userId !== e.payload.entry.userId);
      const had = others.length !== s.attendance.length;
      const attendance = had
        ? s.attendance.map((a) => (a.userId === e.payload.entry.userId ? e.payload.entry : a))
        : [...s.attendance, e.payload.entry];
      return { ...s, attendance, quorum: e.payload.quorum };
    }
    case 'speakers:update':
      return e.payload.meetingId === s.meeting.meetingId ? { ...s, speakers: e.payload.speakers } : s;
    case 'poll:update': {
      const p = e.payload;
      if (p.meetingId !== s.meeting.meetingId) {
        return s;
      }
      const openPoll = p.status === 'open' ? p : s.openPoll?.pollId === p.pollId ? null : s.openPoll;
      return { ...s, polls: upsertPoll(s.polls, p), openPoll };
    }
    case 'poll:deleted': {
      const d = e.payload;
      if (d.meetingId !== s.meeting.meetingId) {
        return s;
      }
      return { ...s, polls: s.polls.filter((p) => p.pollId !== d.pollId), openPoll: s.openPoll?.pollId === d.pollId ? null : s.openPoll };
    }
    case 'poll:tally': {
      const t = e.payload;
      if (t.meetingId !== s.meeting.meetingId) {
        return s;
      }
      const apply = (p: PollView): PollView =>
        p.pollId === t.pollId && p.status === 'open' ? { ...p, progress: t.progress, counts: t.counts } : p;
      return { ...s, polls: s.polls.map(apply), openPoll: s.openPoll ? apply(s.openPoll) : null };
    }
    case 'ballot:mine': {
      const b = e.payload;
      if (b.meetingId !== s.meeting.meetingId) {
        return s;
      }
      const mine: MyBallot = { pollId: b.pollId, ballotId: b.ballotId, choice: b.choice };
      return { ...s, myBallots: [...s.myBallots.filter((x) => x.pollId !== b.pollId), mine] };
    }
  }
}
