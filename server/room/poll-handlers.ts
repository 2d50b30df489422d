import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { agendaItems, polls } from '../db/schema';
import { appendAudit, writeAudited } from '../audit/log';
import type { Executor } from '../db/client';
import { invalidState, notFound } from '../errors';
import { closePoll, openPoll } from '../polls/lifecycle';
import { pollSettingsColumns } from '../polls/settings';
import { noBallots, pollView, type Counted, type PollRow } from '../polls/tally';
import { broadcastPoll } from './broadcast';
import type { RoomEvents } from './handler';
import { isStaff } from './members';
import type { RoomContext } from './types';

/** Polls: create (draft), open (quorum check, chair override audited), close, cancel, reopen as new. */
export function registerPollHandlers(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;
  // The ack's view, when it is the staff one, is also what the broadcast sends: read once.
  const answer = async (p: PollRow, staff = true, eligibleNow?: number, counted?: Counted) => {
    const view = await pollView(db, p, { staff }, eligibleNow, counted);
    return { body: { poll: view }, after: () => broadcastPoll(rc, db, p, staff ? view : undefined) };
  };

  events.on('poll:create', async (input, m) => {
    if (m.meeting.status === 'closed') {
      throw invalidState('The meeting is closed');
    }
    const itemId = input.itemId === undefined ? m.meeting.currentItemId : input.itemId;
    // The id is chosen here so that the audit entry, which names it, goes in the insert's own statement.
    const id = randomUUID();
    const settings = pollSettingsColumns(input);
    const create = async (ex: Executor) => {
      const [row] = await writeAudited(
        ex,
        polls,
        ex
          .insert(polls)
          .values({ id, meetingId: m.meeting.id, itemId, ...settings, status: 'draft', createdBy: m.userId })
          .returning(),
        [{ actorId: m.userId, meetingId: m.meeting.id, action: 'poll.create', data: { pollId: id, title: settings.title, kind: settings.kind, secret: settings.secret } }],
      );
      if (!row) {
        throw invalidState('Poll not stored');
      }
      return row;
    };
    // Without an agenda item the insert is a statement of its own (its own transaction); with one, the
    // item is checked in the same transaction.
    const p = itemId
      ? await db.transaction(async (tx) => {
          const [item] = await tx.select({ id: agendaItems.id }).from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, m.meeting.id)));
          if (!item) {
            throw notFound('Agenda item');
          }
          return create(tx);
        })
      : await create(db);
    return answer(p);
  });

  events.on('poll:open', async (input, m) => {
    const { row: p, eligible } = await openPoll(db, m.meeting.id, input.pollId, m.userId, input.overrideQuorumReason);
    rc.polls.put(p);
    rc.countdown.arm(p.meetingId, p.id, p.closesAt);
    // Opened by the commit above: no ballot can have reached it yet (paper counts are read as ever).
    return answer(p, isStaff(m), eligible, p.countedOnPaper ? undefined : noBallots(p));
  });

  events.on('poll:close', async (input, m) => {
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

  events.on('poll:cancel', async (input, m) => {
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
  events.on('poll:result', async (input, m) => {
    const [row] = await db.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id)));
    if (!row || (row.status === 'draft' && !isStaff(m))) {
      throw notFound('Poll');
    }
    return { body: { poll: await pollView(db, row, { staff: isStaff(m) }) } };
  });

  events.on('poll:reopen', async (input, m) => {
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
