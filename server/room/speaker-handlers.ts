import { and, eq, inArray, max } from 'drizzle-orm';
import { agendaItems, meetings, speakerRequests } from '../db/schema';
import { appendAudit } from '../audit/log';
import { badRequest, forbidden, invalidState, notFound } from '../errors';
import type { Tx } from '../db/client';
import { endFloorSpeeches, startFloorSpeech } from '../minutes/speeches';
import type { RoomEvents } from './handler';
import type { Member } from '../meetings/member';
import { isRunner } from './members';
import { speakersOf } from './state';
import { rooms } from './io';
import type { RoomContext } from './types';

/** Speakers: request / withdraw; the chair grants, ends and reorders. The queue is visible to all. */
export function registerSpeakerHandlers(rc: RoomContext, events: RoomEvents): void {
  const db = rc.app.db;
  const broadcast = (meetingId: string) => async () => {
    const speakers = await speakersOf(db, meetingId);
    rc.io.to(rooms.meeting(meetingId)).emit('speakers:update', { meetingId, speakers });
  };
  const load = async (tx: Tx, m: Member, requestId: string) => {
    const [r] = await tx
      .select()
      .from(speakerRequests)
      .where(and(eq(speakerRequests.id, requestId), eq(speakerRequests.meetingId, m.meeting.id)))
      .for('update');
    if (!r) {
      throw notFound('Speaker request');
    }
    return r;
  };

  events.on('speaker:request', async (input, m) => {
    if (m.meeting.status !== 'in_progress') {
      throw invalidState('The meeting is not in progress');
    }
    const requestId = await db.transaction(async (tx) => {
      // One live request per member: asking again (a retry, a double click) returns the same request.
      const [existing] = await tx
        .select({ id: speakerRequests.id })
        .from(speakerRequests)
        .where(and(eq(speakerRequests.meetingId, m.meeting.id), eq(speakerRequests.userId, m.userId), inArray(speakerRequests.status, ['waiting', 'speaking'])));
      if (existing) {
        return existing.id;
      }
      const itemId = input.itemId === undefined ? m.meeting.currentItemId : input.itemId;
      if (itemId) {
        const [item] = await tx.select({ id: agendaItems.id }).from(agendaItems).where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, m.meeting.id)));
        if (!item) {
          throw notFound('Agenda item');
        }
      }
      const [last] = await tx.select({ p: max(speakerRequests.position) }).from(speakerRequests).where(eq(speakerRequests.meetingId, m.meeting.id));
      const [row] = await tx
        .insert(speakerRequests)
        .values({ meetingId: m.meeting.id, userId: m.userId, itemId, status: 'waiting', position: (last?.p ?? 0) + 1 })
        .returning({ id: speakerRequests.id });
      if (!row) {
        throw invalidState('Request not stored');
      }
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'speaker.request', data: { requestId: row.id, itemId } });
      return row.id;
    });
    return { body: { requestId }, after: broadcast(m.meeting.id) };
  });

  events.on('speaker:withdraw', async (input, m) => {
    await db.transaction(async (tx) => {
      const r = await load(tx, m, input.requestId);
      if (r.userId !== m.userId && !isRunner(m)) {
        throw forbidden('Only the requester or the chair can withdraw a request');
      }
      if (r.status !== 'waiting') {
        throw invalidState(`The request is ${r.status}`);
      }
      await tx.update(speakerRequests).set({ status: 'withdrawn', endedAt: new Date() }).where(eq(speakerRequests.id, r.id));
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'speaker.withdraw', data: { requestId: r.id } });
    });
    return { body: {}, after: broadcast(m.meeting.id) };
  });

  events.on('speaker:grant', async (input, m) => {
    await db.transaction(async (tx) => {
      const r = await load(tx, m, input.requestId);
      if (r.status !== 'waiting') {
        throw invalidState(`The request is ${r.status}`);
      }
      const now = new Date();
      // One speaker at a time: granting the floor ends the current speech.
      const ended = await tx
        .update(speakerRequests)
        .set({ status: 'done', endedAt: now })
        .where(and(eq(speakerRequests.meetingId, m.meeting.id), eq(speakerRequests.status, 'speaking')))
        .returning({ id: speakerRequests.id });
      await endFloorSpeeches(tx, m.meeting.id, ended.map((e) => e.id), now);
      await tx
        .update(speakerRequests)
        .set({ status: 'speaking', startedAt: now, limitSeconds: input.limitSeconds ?? null })
        .where(eq(speakerRequests.id, r.id));
      // The minutes' record of the turn: on the item asked about, else the item the room follows now.
      const [meeting] = await tx.select({ currentItemId: meetings.currentItemId }).from(meetings).where(eq(meetings.id, m.meeting.id));
      await startFloorSpeech(tx, { meetingId: m.meeting.id, requestId: r.id, userId: r.userId, agendaItemId: r.itemId ?? meeting?.currentItemId ?? null, at: now, by: m.userId });
      await appendAudit(tx, {
        actorId: m.userId,
        meetingId: m.meeting.id,
        action: 'speaker.grant',
        data: { requestId: r.id, userId: r.userId, limitSeconds: input.limitSeconds ?? null },
      });
    });
    return { body: {}, after: broadcast(m.meeting.id) };
  });

  events.on('speaker:end', async (input, m) => {
    await db.transaction(async (tx) => {
      const r = await load(tx, m, input.requestId);
      if (r.status !== 'speaking') {
        throw invalidState(`The request is ${r.status}`);
      }
      const now = new Date();
      await tx.update(speakerRequests).set({ status: 'done', endedAt: now }).where(eq(speakerRequests.id, r.id));
      await endFloorSpeeches(tx, m.meeting.id, [r.id], now);
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'speaker.end', data: { requestId: r.id } });
    });
    return { body: {}, after: broadcast(m.meeting.id) };
  });

  events.on('speaker:reorder', async (input, m) => {
    if (new Set(input.order).size !== input.order.length) {
      throw badRequest('order lists a request twice');
    }
    await db.transaction(async (tx) => {
      const waiting = await tx
        .select({ id: speakerRequests.id, position: speakerRequests.position })
        .from(speakerRequests)
        .where(and(eq(speakerRequests.meetingId, m.meeting.id), eq(speakerRequests.status, 'waiting')))
        .orderBy(speakerRequests.position)
        .for('update');
      const ids = new Set(waiting.map((w) => w.id));
      const unknown = input.order.find((id) => !ids.has(id));
      if (unknown) {
        throw badRequest(`Request ${unknown} is not waiting in this meeting`);
      }
      // Listed requests first in the given order, the others keep their relative order after them.
      const listed = new Set(input.order);
      const order = [...input.order, ...waiting.filter((w) => !listed.has(w.id)).map((w) => w.id)];
      const base = Math.min(...waiting.map((w) => w.position));
      for (const [i, id] of order.entries()) {
        await tx.update(speakerRequests).set({ position: base + i }).where(eq(speakerRequests.id, id));
      }
      await appendAudit(tx, { actorId: m.userId, meetingId: m.meeting.id, action: 'speaker.reorder', data: { order } });
    });
    return { body: {}, after: broadcast(m.meeting.id) };
  });
}
