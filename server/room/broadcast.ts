import type { Executor } from '../db/client';
import { pollView, type PollRow } from '../polls/tally';
import { rooms } from './io';
import type { RoomContext } from './types';

/**
 * Sends a poll's new state. Drafts go to staff only; a hidden running tally is sent with counts to
 * staff and without to everyone else; closed polls carry the full result (name lists) to the roster
 * audience and counts only to delegates (they ask `poll:result` for the lists).
 */
export async function broadcastPoll(rc: RoomContext, db: Executor, p: PollRow): Promise<void> {
  const staffView = await pollView(db, p, { staff: true });
  if (p.status === 'draft') {
    rc.io.to(rooms.staff(p.meetingId)).emit('poll:update', staffView);
    return;
  }
  if (p.hideTally && p.status === 'open') {
    rc.io.to(rooms.staff(p.meetingId)).emit('poll:update', staffView);
    rc.io
      .to(rooms.meeting(p.meetingId))
      .except(rooms.staff(p.meetingId))
      .emit('poll:update', { ...staffView, counts: null });
    return;
  }
  if (p.status === 'closed' && staffView.result) {
    rc.io.to(rooms.roster(p.meetingId)).emit('poll:update', staffView);
    const { named: _n, notVoted: _v, ...counts } = staffView.result;
    rc.io
      .to(rooms.meeting(p.meetingId))
      .except(rooms.roster(p.meetingId))
      .emit('poll:update', { ...staffView, result: { ...counts, listsOmitted: true, named: null, notVoted: [] } });
    return;
  }
  rc.io.to(rooms.meeting(p.meetingId)).emit('poll:update', staffView);
}
