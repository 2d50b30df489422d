import { and, eq } from 'drizzle-orm';
import { agendaItems, meetings } from '../db/schema';
import { assertNoOpenPoll, stopLive, stoppedData, type LiveStopped } from '../meetings/live-stop';
import { appendAudit } from '../audit/log';
import { invalidState, notFound } from '../errors';
import type { MeetingState } from '../../shared/room/snapshot';
import type { RoomEvents } from './handler';
import type { Member } from '../meetings/member';
import { isStaff, seesRoster } from './members';
import { buildSnapshot } from './snapshot';
import { meetingState, speakersOf } from './state';
import { rooms, type RoomSocket } from './io';
import type { RoomContext } from './types';

type Transition = 'start' | 'pause' | 'resume' | 'end';

/** Meeting flow: join/leave/snapshot, start/pause/resume/end, current agenda item. */
export function registerMeetingHandlers(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;

  const join = async (m: Member, socket: RoomSocket) => {
    // Fresh from the database (RoomEvents): ballot:cast takes it from the cache (re-checked per batch).
    rc.members.put(m);
    // Join after the snapshot is read: events between the two are at worst seen twice, never missed.
    const snapshot = await buildSnapshot(db, m, rc.ownBallots, await rc.snapshots.shared(m));
    const id = m.meeting.id;
    await socket.join([
      rooms.meeting(id),
      rooms.member(id, m.userId),
      ...(isStaff(m) ? [rooms.staff(id)] : []),
      ...(seesRoster(m) ? [rooms.roster(id)] : []),
    ]);
    return { body: { snapshot } };
  };
  events.on('meeting:join', async (_in, m, socket) => join(m, socket));
  events.on('meeting:snapshot', async (_in, m, socket) => join(m, socket));
  events.on('meeting:leave', async (input, _m, socket) => {
    await socket.leave(rooms.meeting(input.meetingId));
    await socket.leave(rooms.staff(input.meetingId));
    await socket.leave(rooms.roster(input.meetingId));
    await socket.leave(rooms.member(input.meetingId, socket.data.userId));
    return { body: {} };
  });

  const transition = (t: Transition) => async (_in: unknown, m: Member) => {
    const state = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(meetings).where(eq(meetings.id, m.meeting.id)).for('update');
      if (!row) {
        throw notFound('Meeting');
      }
      const next = nextState(t, row.status, row.paused);
      const now = new Date();
      let stopped: LiveStopped | null = null;
      if (t === 'end') {
        await assertNoOpenPoll(tx, row.id);
        stopped = await stopLive(tx, row.id, now);
      }
      const [updated] = await tx
        .update(meetings)
        .set({ ...next, updatedAt: now, ...(next.status === 'closed' ? { closedAt: now, currentItemId: null } : {}), ...(t === 'start' ? { startedAt: now } : {}) })
        .where(eq(meetings.id, row.id))
        .returning();
      await appendAudit(tx, { actorId: m.userId, meetingId: row.id, action: `meeting.${t}`, data: stoppedData(stopped) });
      return { state: meetingState(updated ?? row), closed: stopped !== null };
    });
    return {
      body: { meeting: state.state },
      after: async () => {
        emitState(rc, state.state);
        if (state.closed) {
          await emitSpeakers(rc, state.state.meetingId);
        }
      },
    };
  };
  events.on('meeting:start', transition('start'));
  events.on('meeting:pause', transition('pause'));
  events.on('meeting:resume', transition('resume'));
  events.on('meeting:end', transition('end'));

  events.on('agenda:setCurrent', async (input, m) => {
    const state = await db.transaction(async (tx) => {
      if (input.itemId) {
        const [item] = await tx
          .select({ id: agendaItems.id })
          .from(agendaItems)
          .where(and(eq(agendaItems.id, input.itemId), eq(agendaItems.meetingId, m.meeting.id)));
        if (!item) {
          throw notFound('Agenda item');
        }
      }
      const [row] = await tx.select().from(meetings).where(eq(meetings.id, m.meeting.id)).for('update');
      if (!row || row.status === 'closed') {
        throw invalidState('The meeting is closed');
      }
      const [updated] = await tx
        .update(meetings)
        .set({ currentItemId: input.itemId, updatedAt: new Date() })
        .where(eq(meetings.id, row.id))
        .returning();
      await appendAudit(tx, { actorId: m.userId, meetingId: row.id, action: 'agenda.current', data: { itemId: input.itemId } });
      return meetingState(updated ?? row);
    });
    return { body: { meeting: state }, after: () => emitState(rc, state) };
  });
}

function emitState(rc: RoomContext, state: MeetingState): void {
  rc.io.to(rooms.meeting(state.meetingId)).emit('meeting:state', state);
}

async function emitSpeakers(rc: RoomContext, meetingId: string): Promise<void> {
  rc.io.to(rooms.meeting(meetingId)).emit('speakers:update', { meetingId, speakers: await speakersOf(rc.app.db, meetingId) });
}

function nextState(t: Transition, status: string, paused: boolean): { status: 'in_progress' | 'closed'; paused: boolean } {
  switch (t) {
    case 'start':
      if (status !== 'published') {
        throw invalidState(`Only a published meeting can start (it is ${status})`);
      }
      return { status: 'in_progress', paused: false };
    case 'pause':
      if (status !== 'in_progress' || paused) {
        throw invalidState('Only a running, unpaused meeting can be paused');
      }
      return { status: 'in_progress', paused: true };
    case 'resume':
      if (status !== 'in_progress' || !paused) {
        throw invalidState('Only a paused meeting can be resumed');
      }
      return { status: 'in_progress', paused: false };
    case 'end':
      if (status !== 'in_progress') {
        throw invalidState('Only a meeting in progress can end');
      }
      return { status: 'closed', paused: false };
  }
}
