import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { AuthUser } from '../auth/sessions';
import type { Executor } from '../db/client';
import { agendaConclusions, agendaItems, meetingMembers, speeches, users } from '../db/schema';
import { badRequest, forbidden, invalidState, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { couldReadDocument, meetingAccess, type MeetingAccess } from '../meetings/access';
import { lockMeeting } from '../meetings/guards';
import { IdParams } from '../../shared/api/common';
import { CreateSpeechRequest, MeetingItemParams, PutConclusionRequest, SpeechParams, UpdateSpeechRequest } from '../../shared/api/minutes';
import { listConclusions } from './conclusions';
import { listSpeeches, toSpeech } from './speeches';

/**
 * The record behind the minutes: speaking turns (with the secretary's summary) and the chair's
 * conclusions. Reading: the meeting's members who read its internal papers (chair, secretary,
 * delegates, admins; not observers, who do not read the minutes either). Writing: the chair, the
 * secretary and admins, while the meeting runs and after it closed.
 */

/** Members who read the meeting's internal papers read its record too. */
async function readerAccess(db: Executor, meetingId: string, user: AuthUser): Promise<MeetingAccess> {
  const access = await meetingAccess(db, meetingId, user);
  if (!couldReadDocument(access, 'internal')) {
    throw forbidden('Observers do not read the meeting record');
  }
  return access;
}

/** Lock, 404 for outsiders, 403 unless chair/secretary/admin, 409 unless the meeting ran. */
async function writerAccess(db: Executor, meetingId: string, user: AuthUser, what: string): Promise<MeetingAccess> {
  const access = await meetingAccess(db, meetingId, user);
  if (!access.canManage && access.role !== 'chair') {
    throw forbidden(`Only the chair, the secretary or an administrator can record ${what}`);
  }
  if (access.meeting.status !== 'in_progress' && access.meeting.status !== 'closed') {
    throw invalidState(`${what[0]?.toUpperCase()}${what.slice(1)} are recorded once the meeting has started`);
  }
  return access;
}

async function itemOf(db: Executor, meetingId: string, itemId: string): Promise<{ id: string }> {
  const [item] = await db
    .select({ id: agendaItems.id })
    .from(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId)))
    .limit(1);
  if (!item) {
    throw notFound('Agenda item');
  }
  return item;
}

export function registerRecordRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/meetings/:id/conclusions', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    await readerAccess(db, id, user);
    return { conclusions: await listConclusions(db, id) };
  });

  app.put('/api/meetings/:id/agenda/:itemId/conclusion', async (req) => {
    const user = requireUser(req);
    const { id, itemId } = parse(MeetingItemParams, req.params, 'params');
    const body = parse(PutConclusionRequest, req.body, 'body');
    const conclusion = await db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      await writerAccess(tx, id, user, 'conclusions');
      await itemOf(tx, id, itemId);
      if (body.text === '') {
        const removed = await tx.delete(agendaConclusions).where(eq(agendaConclusions.agendaItemId, itemId)).returning({ id: agendaConclusions.agendaItemId });
        if (removed.length > 0) {
          await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'conclusion.removed', data: { itemId } });
        }
        return null;
      }
      const now = new Date();
      await tx
        .insert(agendaConclusions)
        .values({ agendaItemId: itemId, meetingId: id, text: body.text, updatedBy: user.id, updatedAt: now })
        .onConflictDoUpdate({ target: agendaConclusions.agendaItemId, set: { text: body.text, updatedBy: user.id, updatedAt: now } });
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'conclusion.set', data: { itemId, chars: body.text.length } });
      return (await listConclusions(tx, id)).find((c) => c.agendaItemId === itemId) ?? null;
    });
    return { conclusion };
  });

  app.get('/api/meetings/:id/speeches', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    await readerAccess(db, id, user);
    return { speeches: await listSpeeches(db, id) };
  });

  app.post('/api/meetings/:id/speeches', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(CreateSpeechRequest, req.body, 'body');
    const speech = await db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      const access = await writerAccess(tx, id, user, 'speeches');
      const [speaker] = await tx
        .select({ displayName: users.displayName })
        .from(meetingMembers)
        .innerJoin(users, eq(users.id, meetingMembers.userId))
        .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.userId, body.userId)))
        .limit(1);
      if (!speaker) {
        throw badRequest('Invalid body.userId: the speaker is not a member of this meeting');
      }
      const agendaItemId = body.agendaItemId === undefined ? access.meeting.currentItemId : body.agendaItemId;
      if (agendaItemId) {
        await itemOf(tx, id, agendaItemId);
      }
      const now = new Date();
      const startedAt = body.startedAt ? new Date(body.startedAt) : now;
      const endedAt = body.endedAt ? new Date(body.endedAt) : null;
      if (endedAt && endedAt < startedAt) {
        throw badRequest('Invalid body.endedAt: endedAt must not be before startedAt');
      }
      const [row] = await tx
        .insert(speeches)
        .values({ meetingId: id, agendaItemId, userId: body.userId, startedAt, endedAt, summary: body.summary, createdBy: user.id, updatedAt: now })
        .returning();
      if (!row) {
        throw new Error('insert returned nothing');
      }
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'speech.added', data: { speechId: row.id, userId: body.userId, itemId: agendaItemId } });
      return toSpeech(row, speaker.displayName);
    });
    return reply.status(201).send(speech);
  });

  const updateSummary = async (req: FastifyRequest) => {
    const user = requireUser(req);
    const { id, speechId } = parse(SpeechParams, req.params, 'params');
    const body = parse(UpdateSpeechRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      await writerAccess(tx, id, user, 'speeches');
      const [row] = await tx
        .update(speeches)
        .set({ summary: body.summary, updatedAt: new Date() })
        .where(and(eq(speeches.id, speechId), eq(speeches.meetingId, id)))
        .returning();
      if (!row) {
        throw notFound('Speech');
      }
      const [speaker] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, row.userId)).limit(1);
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'speech.summary', data: { speechId, chars: body.summary.length } });
      return toSpeech(row, speaker?.displayName ?? '');
    });
  };
  app.patch('/api/meetings/:id/speeches/:speechId', updateSummary);
  app.put('/api/meetings/:id/speeches/:speechId', updateSummary);
}
