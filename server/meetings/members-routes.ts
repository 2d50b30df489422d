import type { FastifyInstance } from 'fastify';
import { and, count, eq } from 'drizzle-orm';
import { IdParams } from '../../shared/api/common';
import { MemberParams, PutMemberRequest, RsvpRequest, type Member } from '../../shared/api/meetings';
import { appendAudit } from '../audit/log';
import type { Tx } from '../db/client';
import { meetingMembers, users } from '../db/schema';
import { conflict, forbidden, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from './access';
import { assertWritable, lockMeeting, manageOpenMeeting, touchMeeting } from './guards';
import { getMember, listMembers } from './views';

async function memberOrThrow(tx: Tx, meetingId: string, userId: string): Promise<Member> {
  const m = await getMember(tx, meetingId, userId);
  if (!m) {
    throw new Error(`member ${userId} vanished inside its own transaction`);
  }
  return m;
}

/**
 * A meeting always keeps at least one secretary, or nobody but an admin could manage it any
 * more. Called inside the member change's transaction, after manageOpenMeeting row-locked the meeting,
 * so two concurrent demotions cannot both see "another secretary is left" (PostgreSQL); the refusal
 * rolls the whole change back, audit entry included.
 */
async function assertSecretaryRemains(tx: Tx, meetingId: string, leaving: Readonly<{ userId: string; role: string }>, change: string): Promise<void> {
  if (leaving.role !== 'secretary') {
    return;
  }
  const [row] = await tx
    .select({ n: count() })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.role, 'secretary')));
  if ((row?.n ?? 0) <= 1) {
    throw conflict(`Cannot ${change} the meeting's last secretary: make another member secretary first`);
  }
}

/** Meeting members and RSVP. The secretariat invites; each member answers for themself. */
export function registerMemberRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/meetings/:id/members', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const access = await meetingAccess(db, id, user);
    return { members: await listMembers(db, access, user) };
  });

  app.put('/api/meetings/:id/members/:userId', async (req, reply) => {
    const actor = requireUser(req);
    const { id, userId } = parse(MemberParams, req.params, 'params');
    const body = parse(PutMemberRequest, req.body, 'body');
    const { member, created, roleChanged } = await db.transaction(async (tx) => {
      await manageOpenMeeting(tx, id, actor);
      const [target] = await tx.select({ id: users.id, disabled: users.disabled }).from(users).where(eq(users.id, userId)).limit(1);
      if (!target || target.disabled) {
        throw notFound('User');
      }
      const before = await getMember(tx, id, userId);
      if (before && body.role !== 'secretary') {
        await assertSecretaryRemains(tx, id, before, 'demote');
      }
      // Running the room defaults to the secretariat; the chair can hand it to someone else.
      const canRunRoom = body.canRunRoom ?? before?.canRunRoom ?? body.role === 'secretary';
      await tx
        .insert(meetingMembers)
        .values({ meetingId: id, userId, role: body.role, canRunRoom })
        .onConflictDoUpdate({ target: [meetingMembers.meetingId, meetingMembers.userId], set: { role: body.role, canRunRoom } });
      await touchMeeting(tx, id);
      await appendAudit(tx, {
        actorId: actor.id,
        meetingId: id,
        action: before ? 'member.updated' : 'member.added',
        data: { userId, role: body.role, canRunRoom, ...(before ? { previousRole: before.role } : {}) },
      });
      return { member: await memberOrThrow(tx, id, userId), created: !before, roleChanged: before !== undefined && before.role !== body.role };
    });
    if (roleChanged) {
      ctx.liveSessions.memberRoleChanged(id, userId, body.role);
    }
    return reply.status(created ? 201 : 200).send(member);
  });

  app.delete('/api/meetings/:id/members/:userId', async (req, reply) => {
    const actor = requireUser(req);
    const { id, userId } = parse(MemberParams, req.params, 'params');
    await db.transaction(async (tx) => {
      await manageOpenMeeting(tx, id, actor);
      const current = await getMember(tx, id, userId);
      if (current) {
        await assertSecretaryRemains(tx, id, current, 'remove');
      }
      const removed = await tx
        .delete(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.userId, userId)))
        .returning({ role: meetingMembers.role });
      const [row] = removed;
      if (!row) {
        throw notFound('Member');
      }
      await touchMeeting(tx, id);
      await appendAudit(tx, { actorId: actor.id, meetingId: id, action: 'member.removed', data: { userId, role: row.role } });
    });
    ctx.liveSessions.memberRemoved(id, userId);
    return reply.status(204).send();
  });

  app.post('/api/meetings/:id/rsvp', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(RsvpRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      await lockMeeting(tx, id);
      const access = await meetingAccess(tx, id, user);
      if (!access.role) {
        throw forbidden('Only members of the meeting answer its invitation');
      }
      assertWritable(access);
      const reason = body.rsvp === 'absent' ? body.reason : null;
      await tx
        .update(meetingMembers)
        .set({ rsvp: body.rsvp, rsvpReason: reason })
        .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.userId, user.id)));
      // The reason can be personal (illness): the audit records that one was given, not its text.
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'member.rsvp', data: { rsvp: body.rsvp, withReason: reason !== null } });
      return memberOrThrow(tx, id, user.id);
    });
  });
}
