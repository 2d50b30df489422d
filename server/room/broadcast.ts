import type { Executor } from '../db/client';
import { pollView, type PollRow } from '../polls/tally';
import type { PollView } from '../../shared/room/snapshot';
import { emitLocalSliced } from './fanout';
import { rooms } from './io';
import type { RoomContext } from './types';

/**
 * Sends a poll's new state. Drafts go to staff only; a hidden running tally is sent with counts to
 * staff and without to everyone else; closed polls carry the full result (name lists) to the roster
 * audience and counts only to delegates (they ask `poll:result` for the lists).
 *
 * An open poll's view goes to the whole meeting: on a single node that fan-out is sliced
 * (emitLocalSliced), because one `emit` to 1,000 sockets held the event loop ≈ 50–90 ms right when the
 * quickest delegates' ballots arrive, and every ballot acked in the first 100 ms of a vote waited for
 * it: they were the whole ack p99 (docs/benchmarks.md "Live room, seventh round"). poll:update
 * carries the whole state, so a newer broadcast of the poll stops an older one still slicing (no
 * socket gets "open" after "closed"). With peers (Redis adapter) the adapter's broadcast reaches the
 * other nodes' sockets, so it stays one emit.
 */
export async function broadcastPoll(
  rc: Pick<RoomContext, 'io' | 'peers' | 'snapshots' | 'lifecycle' | 'pollFanouts'>,
  db: Executor,
  p: PollRow,
  /** The staff view of `p` when the caller already read it (the ack of a staff member's event). */
  view?: PollView,
): Promise<void> {
  const fanouts = rc.pollFanouts;
  // Claimed before the view is read: broadcasts are started in the order of the changes.
  const current = fanouts.claim(p.id, fanouts.turn());
  const staffView = view ?? (await pollView(db, p, { staff: true }));
  if (!current?.()) {
    return;
  }
  if (!rc.peers && p.status === 'open' && !p.hideTally) {
    // As a tally flush: join snapshots read before this point are stale.
    rc.snapshots.invalidate(p.meetingId);
    await emitLocalSliced(rc.io, rooms.meeting(p.meetingId), undefined, 'poll:update', staffView, {
      current: () => !rc.lifecycle.closed && current(),
    });
    if (current()) {
      fanouts.forget(p.id);
    }
    return;
  }
  // Every other state goes out whole in one go: an older fan-out still slicing stops.
  fanouts.forget(p.id);
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
