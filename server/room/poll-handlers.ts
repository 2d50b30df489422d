import { and, eq } from 'drizzle-orm';
import { agendaItems, meetings, polls } from '../db/schema';
import { appendAudit } from '../audit/log';
import { AppError, invalidState, notFound } from '../errors';
import { closePoll } from '../polls/lifecycle';
import { pollSettingsColumns } from '../polls/settings';
import { noBallots, pollView, type Counted, type PollRow } from '../polls/tally';
import { quorum } from '../../shared/domain/quorum';
import { broadcastPoll } from './broadcast';
import { onEvent } from './handler';
import { isStaff } from './members';
import { votingCounts } from '../meetings/voting-members';
import type { RoomSocket } from './io';
import type { RoomContext } from './types';

/** Polls: create (draft), open (quorum check, chair override audited), close, cancel, reopen as new. */
export function registerPollHandlers(rc: RoomContext, socket: RoomSocket): void {
  const db = rc.app.db;
  // The ack's view, when it is the staff one, is also what the broadcast sends: read once.
  const answer = async (p: PollRow, staff = true, eligibleNow?: number, counted?: Counted) => {
    const view = await pollView(db, p, { staff }, eligibleNow, counted);
    return { body: { poll: view }, after: () => broadcastPoll(rc, db, p, staff ? view : undefined) };
  };

  onEvent(rc, socket, 'poll:create', async (input, m) => {
    if (m.meeting.status === 'closed') {
      throw invalidState('The meeting is closed');
    }
    const itemId = input.itemId === undefined ? m.meeting.currentItemId : input.itemId;
    const p = await db.transaction(async (tx) => {
      if (itemId) {
        const [item] = await tx.select({ id: agendaItems.id }).from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, m.meeting.id)));
        if (!item) {
          throw notFound('Agenda item');
        }
      }
      const [row] = await tx
        .insert(polls)
        .values({
          meetingId: m.meeting.id,
          itemId,
          ...pollSettingsColumns(input),
          status: 'draft',
          createdBy: m.userId,
        })
        .returning();
      if (!row) {
        throw invalidState('Poll not stored');
      }
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'poll.create', data: { pollId: row.id, title: row.title, kind: row.kind, secret: row.secret } });
      return row;
    });
    return answer(p);
  });

  onEvent(rc, socket, 'poll:open', async (input, m) => {
    const { opened: p, eligible } = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id))).for('update');
      if (!row) {
        throw notFound('Poll');
      }
      if (row.status !== 'draft') {
        throw invalidState(`Only a draft poll can be opened (it is ${row.status})`);
      }
      const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, m.meeting.id)).for('update');
      if (!meeting || meeting.status !== 'in_progress' || meeting.paused) {
        throw invalidState('Votes open only while the meeting is in progress and not paused');
      }
      const [other] = await tx.select({ id: polls.id }).from(polls).where(and(eq(polls.meetingId, meeting.id), eq(polls.status, 'open'))).limit(1);
      if (other) {
        throw invalidState('Another vote is open; close it first');
      }
      const counts = await votingCounts(tx, meeting.id);
      const q = quorum(counts.present, counts.eligible, { num: meeting.quorumNum, den: meeting.quorumDen });
      if (!q.met) {
        if (!input.overrideQuorumReason) {
          throw new AppError(409, 'QUORUM_NOT_MET', `Quorum not met: ${q.present} of ${q.total} present, ${q.required} needed`);
        }
        await appendAudit(tx, {
          actorId: m.userId,
          meetingId: meeting.id,
          action: 'poll.quorum_override',
          data: { pollId: row.id, reason: input.overrideQuorumReason, present: q.present, total: q.total, required: q.required },
        });
      }
      const now = new Date();
      const [opened] = await tx
        .update(polls)
        .set({
          status: 'open',
          openedAt: now,
          closesAt: row.durationSeconds ? new Date(now.getTime() + row.durationSeconds * 1000) : null,
          reason: q.met ? row.reason : (input.overrideQuorumReason ?? null),
        })
        .where(eq(polls.id, row.id))
        .returning();
      if (!opened) {
        throw invalidState('Poll vanished');
      }
      await appendAudit(tx, { actorId: m.userId, meetingId: meeting.id, action: 'poll.open', data: { pollId: row.id, closesAt: opened.closesAt?.toISOString() ?? null } });
      return { opened, eligible: counts.eligible };
    });
    rc.polls.put(p);
    rc.countdown.arm(p.meetingId, p.id, p.closesAt);
    // Opened by the commit above: no ballot can have reached it yet (paper counts are read as ever).
    return answer(p, isStaff(m), eligible, p.countedOnPaper ? undefined : noBallots(p));
  });

  onEvent(rc, socket, 'poll:close', async (input, m) => {
    const closed = await closePoll(db, m.meeting.id, input.pollId, m.userId);
    if (!closed) {
      throw invalidState('The poll is not open');
    }
    const p = closed.row;
    rc.polls.put(p);
    rc.countdown.disarm(p.id);
    rc.tally.forget(p.id);
    // The close's own count: read under the row lock that no ballot passes once the poll is closed.
    return answer(p, true, undefined, closed.counted);
  });

  onEvent(rc, socket, 'poll:cancel', async (input, m) => {
    const p = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id))).for('update');
      if (!row) {
        throw notFound('Poll');
      }
      if (row.status !== 'draft' && row.status !== 'open') {
        throw invalidState(`A ${row.status} poll cannot be cancelled`);
      }
      const [cancelled] = await tx.update(polls).set({ status: 'cancelled', closedAt: new Date(), reason: input.reason }).where(eq(polls.id, row.id)).returning();
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'poll.cancel', data: { pollId: row.id, reason: input.reason } });
      return cancelled ?? row;
    });
    rc.polls.put(p);
    rc.countdown.disarm(p.id);
    rc.tally.forget(p.id);
    return answer(p);
  });

  // The full result with its name lists, on demand: broadcasts and snapshots give delegates counts only.
  onEvent(rc, socket, 'poll:result', async (input, m) => {
    const [row] = await db.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id)));
    if (!row || (row.status === 'draft' && !isStaff(m))) {
      throw notFound('Poll');
    }
    return { body: { poll: await pollView(db, row, { staff: isStaff(m) }) } };
  });

  onEvent(rc, socket, 'poll:reopen', async (input, m) => {
    const p = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id)));
      if (!row) {
        throw notFound('Poll');
      }
      if (row.status !== 'closed' && row.status !== 'cancelled') {
        throw invalidState('Only a closed or cancelled poll can be repeated');
      }
      // A repeated vote is a NEW poll: the old result stays on record, untouched.
      const { id: _id, createdAt: _c, openedAt: _o, closesAt: _cl, closedAt: _cd, eligibleAtClose: _e, presentAtClose: _p, ...settings } = row;
      const [created] = await tx
        .insert(polls)
        .values({ ...settings, status: 'draft', reason: input.reason, replacesPollId: row.id, createdBy: m.userId })
        .returning();
      if (!created) {
        throw invalidState('Poll not stored');
      }
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'poll.reopen', data: { pollId: created.id, replaces: row.id, reason: input.reason } });
      return created;
    });
    return answer(p);
  });
}
