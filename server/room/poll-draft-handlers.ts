import { and, asc, eq, inArray } from 'drizzle-orm';
import { agendaItems, meetingMembers, namedBallots, polls, secretVoters, users } from '../db/schema';
import { appendAudit } from '../audit/log';
import { invalidState, notFound } from '../errors';
import { pollSettingsColumns } from '../polls/settings';
import { pollView, type PollRow } from '../polls/tally';
import { broadcastPoll } from './broadcast';
import type { RoomEvents } from './handler';
import { rooms } from './io';
import type { RoomContext } from './types';

/**
 * Staff tools around polls. Prepared polls: the secretary or the
 * chair edits or deletes a DRAFT before it is opened. Once opened a poll is on record for good: it
 * can only be closed, cancelled or repeated as a new poll (poll-handlers.ts).
 */
export function registerPollDraftHandlers(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;

  events.on('poll:edit', async (input, m) => {
    if (m.meeting.status === 'closed') {
      throw invalidState('The meeting is closed');
    }
    const p: PollRow = await db.transaction(async (tx) => {
      // The row lock orders this against a concurrent poll:open of the same draft.
      const [row] = await tx.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id))).for('update');
      if (!row) {
        throw notFound('Poll');
      }
      if (row.status !== 'draft') {
        throw invalidState(`Only a draft poll can be changed (it is ${row.status})`);
      }
      const itemId = input.itemId === undefined ? row.itemId : input.itemId;
      if (itemId && itemId !== row.itemId) {
        const [item] = await tx.select({ id: agendaItems.id }).from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, m.meeting.id)));
        if (!item) {
          throw notFound('Agenda item');
        }
      }
      const [updated] = await tx
        .update(polls)
        .set({ ...pollSettingsColumns(input), itemId })
        .where(eq(polls.id, row.id))
        .returning();
      if (!updated) {
        throw invalidState('Poll vanished');
      }
      await appendAudit(tx, {
        actorId: m.userId,
        meetingId: m.meeting.id,
        action: 'poll.edit',
        data: { pollId: row.id, title: updated.title, kind: updated.kind, secret: updated.secret },
      });
      return updated;
    });
    return { body: { poll: await pollView(db, p, { staff: true }) }, after: () => broadcastPoll(rc, db, p) };
  });

  // Who has not voted yet: asked on demand by staff
  // consoles, so the coalesced tally broadcast to every member stays small.
  events.on('poll:pending', async (input, m) => {
    const [row] = await db.select({ id: polls.id, secret: polls.secret, status: polls.status }).from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, m.meeting.id)));
    if (!row) {
      throw notFound('Poll');
    }
    if (row.status === 'draft') {
      return { body: { pollId: row.id, notVoted: [] } };
    }
    const [members, voted] = await Promise.all([
      db
        .select({ userId: meetingMembers.userId, displayName: users.displayName })
        .from(meetingMembers)
        .innerJoin(users, eq(users.id, meetingMembers.userId))
        .where(and(eq(meetingMembers.meetingId, m.meeting.id), inArray(meetingMembers.role, ['chair', 'delegate'])))
        .orderBy(asc(users.displayName)),
      row.secret
        ? db.select({ userId: secretVoters.userId }).from(secretVoters).where(eq(secretVoters.pollId, row.id))
        : db.select({ userId: namedBallots.voterId }).from(namedBallots).where(eq(namedBallots.pollId, row.id)),
    ]);
    const done = new Set(voted.map((v) => v.userId));
    return { body: { pollId: row.id, notVoted: members.filter((x) => !done.has(x.userId)) } };
  });

  events.on('poll:delete', async (input, m) => {
    const meetingId = m.meeting.id;
    await db.transaction(async (tx) => {
      const [row] = await tx.select().from(polls).where(and(eq(polls.id, input.pollId), eq(polls.meetingId, meetingId))).for('update');
      if (!row) {
        throw notFound('Poll');
      }
      if (row.status !== 'draft') {
        throw invalidState(`Only a draft poll can be deleted (it is ${row.status}); cancel it instead`);
      }
      // A draft has no ballots; the audit entry keeps what was removed.
      await tx.delete(polls).where(eq(polls.id, row.id));
      await appendAudit(tx, { actorId: m.userId, meetingId, action: 'poll.delete', data: { pollId: row.id, title: row.title } });
    });
    return {
      body: { pollId: input.pollId },
      // Drafts were only ever sent to staff, so only staff need to forget this one.
      after: () => {
        rc.io.to(rooms.staff(meetingId)).emit('poll:deleted', { meetingId, pollId: input.pollId });
      },
    };
  });
}
