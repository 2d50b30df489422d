import type { FastifyInstance } from 'fastify';
import { and, count, eq, inArray, notInArray } from 'drizzle-orm';
import { IdParams } from '../../shared/api/common';
import { AddCouncilMembersRequest, BulkRoleRequest, MemberParams, PutMemberRequest, RsvpRequest, type AddCouncilMembersResponse, type BulkRoleResponse, type Member } from '../../shared/api/meetings';
import { appendAudit } from '../audit/log';
import type { Tx } from '../db/client';
import { councilMembers, councils, meetingMembers, users } from '../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from './access';
import { assertWritable, lockMeeting, manageOpenMeeting, touchMeeting } from './guards';
import { getMember, listMembers } from './views';
import { meetingRoleFor } from './service';

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

  // A whole council in one action: each active member joins with the role of their account (as when a
  // meeting is created from the council); members already in the meeting keep the role they have.
  app.post('/api/meetings/:id/members/from-council', async (req): Promise<AddCouncilMembersResponse> => {
    const actor = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(AddCouncilMembersRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      await manageOpenMeeting(tx, id, actor);
      const [council] = await tx.select({ id: councils.id }).from(councils).where(eq(councils.id, body.councilId)).limit(1);
      if (!council) {
        throw notFound('Council');
      }
      const rows = await tx
        .select({ userId: users.id, role: users.role })
        .from(councilMembers)
        .innerJoin(users, eq(users.id, councilMembers.userId))
        .where(and(eq(councilMembers.councilId, council.id), eq(users.disabled, false)));
      const values = rows.map((r) => {
        const role = meetingRoleFor(r.role);
        return { meetingId: id, userId: r.userId, role, canRunRoom: role === 'secretary' };
      });
      const inserted = values.length === 0 ? [] : await tx.insert(meetingMembers).values(values).onConflictDoNothing().returning({ userId: meetingMembers.userId, role: meetingMembers.role });
      if (inserted.length > 0) {
        await touchMeeting(tx, id);
      }
      await appendAudit(tx, {
        actorId: actor.id,
        meetingId: id,
        action: 'member.added_from_council',
        data: { councilId: council.id, added: inserted.map((m) => ({ userId: m.userId, role: m.role })), skipped: rows.length - inserted.length },
      });
      return { added: inserted.length, skipped: rows.length - inserted.length };
    });
  });

  // Several members, one role, all or nothing: a refusal (last secretary, not a member) changes nobody.
  app.post('/api/meetings/:id/members/roles', async (req): Promise<BulkRoleResponse> => {
    const actor = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(BulkRoleRequest, req.body, 'body');
    const userIds = [...new Set(body.userIds)];
    const changed = await db.transaction(async (tx) => {
      await manageOpenMeeting(tx, id, actor);
      const current = await tx
        .select({ userId: meetingMembers.userId, role: meetingMembers.role })
        .from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, id), inArray(meetingMembers.userId, userIds)));
      if (current.length !== userIds.length) {
        const known = new Set(current.map((c) => c.userId));
        throw badRequest(`Invalid userIds: ${userIds.filter((u) => !known.has(u)).join(', ')} not a member of this meeting`);
      }
      if (body.role !== 'secretary') {
        const [left] = await tx
          .select({ n: count() })
          .from(meetingMembers)
          .where(and(eq(meetingMembers.meetingId, id), eq(meetingMembers.role, 'secretary'), notInArray(meetingMembers.userId, userIds)));
        if ((left?.n ?? 0) === 0) {
          throw conflict("Cannot demote the meeting's last secretary: keep one secretary or make another member secretary first");
        }
      }
      const moving = current.filter((c) => c.role !== body.role);
      if (moving.length === 0) {
        return [];
      }
      await tx
        .update(meetingMembers)
        .set({ role: body.role })
        .where(and(eq(meetingMembers.meetingId, id), inArray(meetingMembers.userId, moving.map((c) => c.userId))));
      await touchMeeting(tx, id);
      await appendAudit(tx, {
        actorId: actor.id,
        meetingId: id,
        action: 'member.roles_changed',
        data: { role: body.role, members: moving.map((c) => ({ userId: c.userId, previousRole: c.role })) },
      });
      return moving.map((c) => c.userId);
    });
    for (const userId of changed) {
      ctx.liveSessions.memberRoleChanged(id, userId, body.role);
    }
    return { changed: changed.length };
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
