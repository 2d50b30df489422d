import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { IdParams } from '../../shared/api/common';
import {
  ChangeStatusRequest,
  CreateMeetingRequest,
  MeetingListQuery,
  UpdateMeetingRequest,
  type MeetingDetail,
} from '../../shared/api/meetings';
import { appendAudit } from '../audit/log';
import { meetings } from '../db/schema';
import { forbidden, invalidState } from '../errors';
import { requireRole, requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { agendaTree } from '../agenda/service';
import { meetingAccess, requireManage } from './access';
import { lockMeeting, manageOpenMeeting } from './guards';
import { assertNoOpenPoll, stopLive, stoppedData, type LiveStopped } from './live-stop';
import { meetingState, speakersOf } from './live-state';
import { assertQuorum, assertTimes, createMeeting, listMeetings } from './service';
import { mayTransition, transitionOf } from './status';
import { listMembers, myRsvp, readableDocuments, toSummary } from './views';

/** Meetings: list, create, detail, edit, life cycle, delete drafts. */
export function registerMeetingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/meetings', async (req) => {
    const user = requireUser(req);
    const query = parse(MeetingListQuery, req.query, 'query');
    return { meetings: await listMeetings(db, user, query.status) };
  });

  app.post('/api/meetings', async (req, reply) => {
    const user = requireRole(req, 'admin', 'secretary');
    const body = parse(CreateMeetingRequest, req.body, 'body');
    const meeting = await db.transaction(async (tx) => {
      const m = await createMeeting(tx, user, body);
      await appendAudit(tx, { actorId: user.id, meetingId: m.id, action: 'meeting.created', data: { title: m.title, councilId: m.councilId } });
      return m;
    });
    return reply.status(201).send(toSummary(meeting, 'secretary', 'pending'));
  });

  app.get('/api/meetings/:id', async (req): Promise<MeetingDetail> => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const access = await meetingAccess(db, id, user);
    const members = await listMembers(db, access, user);
    const documents = await readableDocuments(db, access);
    const m = access.meeting;
    return {
      ...toSummary(m, access.role, members.find((x) => x.userId === user.id)?.rsvp ?? null),
      quorumNum: m.quorumNum,
      quorumDen: m.quorumDen,
      requireSignedBallots: m.requireSignedBallots,
      paused: m.paused,
      currentItemId: m.currentItemId,
      canManage: access.canManage,
      members,
      agenda: await agendaTree(db, access, documents),
      documents,
    };
  });

  app.patch('/api/meetings/:id', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(UpdateMeetingRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      const access = await manageOpenMeeting(tx, id, user);
      const m = access.meeting;
      const startsAt = body.startsAt ? new Date(body.startsAt) : m.startsAt;
      const endsAt = body.endsAt === undefined ? m.endsAt : body.endsAt === null ? null : new Date(body.endsAt);
      assertTimes(startsAt, endsAt);
      assertQuorum(body.quorumNum ?? m.quorumNum, body.quorumDen ?? m.quorumDen);
      const fields = Object.keys(body).sort();
      if (fields.length === 0) {
        return toSummary(m, access.role, await myRsvp(tx, id, user.id));
      }
      const { startsAt: _s, endsAt: _e, ...rest } = body;
      const [updated] = await tx
        .update(meetings)
        .set({ ...rest, startsAt, endsAt, updatedAt: new Date() })
        .where(eq(meetings.id, id))
        .returning();
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'meeting.updated', data: { fields } });
      return toSummary(updated ?? m, access.role, await myRsvp(tx, id, user.id));
    });
  });

  app.post('/api/meetings/:id/status', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(ChangeStatusRequest, req.body, 'body');
    const out = await db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      const access = await meetingAccess(tx, id, user);
      if (!access.canManage && access.role !== 'chair') {
        throw forbidden('Only the meeting secretary, its chair or an administrator can change its status');
      }
      const from = access.meeting.status;
      const t = transitionOf(from, body.status);
      if (!t) {
        throw invalidState(`A meeting cannot go from ${from} to ${body.status}`);
      }
      if (!mayTransition(t, access)) {
        throw forbidden(`Only the meeting secretary or an administrator can ${t} a meeting`);
      }
      const now = new Date();
      let stopped: LiveStopped | null = null;
      if (t === 'close') {
        await assertNoOpenPoll(tx, id);
        stopped = await stopLive(tx, id, now);
      }
      const [updated] = await tx
        .update(meetings)
        .set({
          status: body.status,
          paused: false,
          updatedAt: now,
          ...(t === 'close' ? { closedAt: now, currentItemId: null } : {}),
          // The minutes state when the meeting actually opened.
          ...(body.status === 'in_progress' ? { startedAt: now } : {}),
        })
        .where(eq(meetings.id, id))
        .returning();
      const row = updated ?? access.meeting;
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'meeting.status_changed', data: { from, to: body.status, ...stoppedData(stopped) } });
      return { row, summary: toSummary(row, access.role, await myRsvp(tx, id, user.id)) };
    });
    // After the commit: every client in the room sees the new status (and, on close, the emptied queue).
    ctx.meetingNotices.meetingChanged({ state: meetingState(out.row), speakers: await speakersOf(db, id) });
    return out.summary;
  });

  app.delete('/api/meetings/:id', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    await db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      const access = await requireManage(tx, id, user);
      if (access.meeting.status !== 'draft') {
        throw invalidState('Only draft meetings can be deleted; a published meeting must be withdrawn to draft first');
      }
      // Members, agenda and document rows go by ON DELETE CASCADE; blobs stay (content-addressed, maybe shared).
      await tx.delete(meetings).where(eq(meetings.id, id));
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'meeting.deleted', data: { title: access.meeting.title } });
    });
    return reply.status(204).send();
  });
}
