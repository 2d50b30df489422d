import { describe, expect, it } from 'vitest';
import type { PollView, RoomSnapshot } from '../../../shared/room/events';
import { reduceRoom } from '../../../renderer/src/room/reduce';
import { orderAgenda } from '../../../renderer/src/room/agenda-order';

const M = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b1';
const C = '00000000-0000-4000-8000-0000000000c1';
const U = '00000000-0000-4000-8000-0000000000f1';
const P = '00000000-0000-4000-8000-0000000000e1';

function poll(status: PollView['status'], extra: Partial<PollView> = {}): PollView {
  return {
    pollId: P, meetingId: M, itemId: A, title: 'Q', kind: 'yes_no_abstain',
    options: [{ id: 'yes', label: 'Tán thành' }, { id: 'no', label: 'Không tán thành' }, { id: 'abstain', label: 'Không biểu quyết' }],
    maxChoices: 1, secret: false, base: 'all', threshold: { num: 1, den: 2, strict: true }, correction: 'change_until_close',
    durationSeconds: null, hideTally: false, status, openedAt: null, closesAt: null, closedAt: null, replacesPollId: null, reason: null,
    progress: { voted: 0, eligible: 3 }, counts: null, result: null, ...extra,
  };
}

function snapshot(): RoomSnapshot {
  return {
    meeting: { meetingId: M, title: 'Kỳ họp', status: 'in_progress', paused: false, currentItemId: null },
    agenda: [
      { id: B, parentId: null, position: 1, title: 'B', kind: 'report' },
      { id: C, parentId: A, position: 0, title: 'A.1', kind: 'report' },
      { id: A, parentId: null, position: 0, title: 'A', kind: 'resolution' },
    ],
    currentItem: null,
    me: { userId: U, role: 'delegate', canRunRoom: false, canVote: true },
    attendance: [],
    quorum: { present: 0, total: 3, required: 2, met: false, num: 2, den: 3 },
    speakers: [],
    polls: [],
    openPoll: null,
    myBallots: [],
    serverTime: new Date().toISOString(),
  };
}

describe('live room reducer', () => {
  it('follows the current item', () => {
    const s = reduceRoom(snapshot(), { type: 'meeting:state', payload: { meetingId: M, title: 'Kỳ họp', status: 'in_progress', paused: false, currentItemId: B } });
    expect(s.currentItem?.title).toBe('B');
  });

  it('opens, tallies and closes a poll', () => {
    let s = reduceRoom(snapshot(), { type: 'poll:update', payload: poll('open') });
    expect(s.openPoll?.pollId).toBe(P);
    s = reduceRoom(s, { type: 'poll:tally', payload: { meetingId: M, pollId: P, progress: { voted: 2, eligible: 3 }, counts: { yes: 2 } } });
    expect(s.openPoll?.progress.voted).toBe(2);
    expect(s.polls[0]?.counts).toEqual({ yes: 2 });
    s = reduceRoom(s, { type: 'poll:update', payload: poll('closed', { progress: { voted: 3, eligible: 3 } }) });
    expect(s.openPoll).toBeNull();
    expect(s.polls).toHaveLength(1);
    expect(s.polls[0]?.status).toBe('closed');
  });

  it('drops a deleted draft and ignores other meetings', () => {
    let s = reduceRoom(snapshot(), { type: 'poll:update', payload: poll('draft') });
    expect(s.polls).toHaveLength(1);
    expect(reduceRoom(s, { type: 'poll:deleted', payload: { meetingId: U, pollId: P } }).polls).toHaveLength(1);
    s = reduceRoom(s, { type: 'poll:deleted', payload: { meetingId: M, pollId: P } });
    expect(s.polls).toEqual([]);
  });

  it('records my ballot once per poll and updates attendance with quorum', () => {
    let s = reduceRoom(snapshot(), { type: 'ballot:mine', payload: { meetingId: M, pollId: P, ballotId: U, choice: ['yes'] } });
    s = reduceRoom(s, { type: 'ballot:mine', payload: { meetingId: M, pollId: P, ballotId: U, choice: ['no'] } });
    expect(s.myBallots).toEqual([{ pollId: P, ballotId: U, choice: ['no'] }]);
    const entry = { userId: U, displayName: 'Đại biểu', role: 'delegate' as const, present: true, reason: null, source: 'self' as const };
    s = reduceRoom(s, { type: 'attendance:update', payload: { meetingId: M, entry, quorum: { ...s.quorum, present: 1 } } });
    expect(s.attendance).toEqual([entry]);
    expect(s.quorum.present).toBe(1);
  });

  it('keeps only my own attendance entry when the snapshot is scoped to me (delegates)', () => {
    const mine = { userId: U, displayName: 'Đại biểu', role: 'delegate' as const, present: false, reason: null, source: null };
    let s: RoomSnapshot = { ...snapshot(), attendanceScope: 'self', attendance: [mine] };
    const other = { userId: A, displayName: 'Khác', role: 'delegate' as const, present: true, reason: null, source: 'self' as const };
    s = reduceRoom(s, { type: 'attendance:update', payload: { meetingId: M, entry: other, quorum: { ...s.quorum, present: 1 } } });
    expect(s.attendance).toEqual([mine]);
    expect(s.quorum.present).toBe(1);
    s = reduceRoom(s, { type: 'attendance:update', payload: { meetingId: M, entry: { ...mine, present: true, source: 'self' }, quorum: { ...s.quorum, present: 2 } } });
    expect(s.attendance).toEqual([{ ...mine, present: true, source: 'self' }]);
    expect(s.quorum.present).toBe(2);
  });

  it('ignores events of another meeting', () => {
    const s0 = snapshot();
    const s = reduceRoom(s0, { type: 'speakers:update', payload: { meetingId: U, speakers: [] } });
    expect(s).toBe(s0);
  });

  it('orders the flat agenda as a tree', () => {
    expect(orderAgenda(snapshot().agenda).map((x) => `${x.depth}:${x.item.title}`)).toEqual(['0:A', '1:A.1', '0:B']);
  });
});
