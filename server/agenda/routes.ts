import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { IdParams } from '../../shared/api/common';
import {
  AgendaItemParams,
  CreateAgendaItemRequest,
  ReorderAgendaRequest,
  UpdateAgendaItemRequest,
  type AgendaItem,
} from '../../shared/api/meetings';
import { appendAudit } from '../audit/log';
import type { Tx } from '../db/client';
import { agendaItems } from '../db/schema';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess, type MeetingAccess } from '../meetings/access';
import { manageOpenMeeting, touchMeeting } from '../meetings/guards';
import { findNode } from './tree';
import { agendaTree, applyReorder, deleteItemSubtree, insertItem, manageItem } from './service';

async function nodeOf(tx: Tx, access: MeetingAccess, id: string): Promise<AgendaItem> {
  const node = findNode(await agendaTree(tx, access), id);
  if (!node) {
    throw new Error(`agenda item ${id} vanished inside its own transaction`);
  }
  return node;
}

/** Agenda: an ordered tree of items per meeting. Reads: members; writes: meeting managers. */
export function registerAgendaRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.get('/api/meetings/:id/agenda', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const access = await meetingAccess(db, id, user);
    return { items: await agendaTree(db, access) };
  });

  app.post('/api/meetings/:id/agenda', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(CreateAgendaItemRequest, req.body, 'body');
    const node = await db.transaction(async (tx) => {
      const access = await manageOpenMeeting(tx, id, user);
      const itemId = await insertItem(tx, id, body);
      await touchMeeting(tx, id);
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'agenda.created', data: { itemId, title: body.title, kind: body.kind } });
      return nodeOf(tx, access, itemId);
    });
    return reply.status(201).send(node);
  });

  app.patch('/api/agenda/:itemId', async (req) => {
    const user = requireUser(req);
    const { itemId } = parse(AgendaItemParams, req.params, 'itemId');
    const body = parse(UpdateAgendaItemRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      const { item, access } = await manageItem(tx, itemId, user);
      if (Object.keys(body).length > 0) {
        await tx.update(agendaItems).set(body).where(eq(agendaItems.id, itemId));
        await touchMeeting(tx, access.meeting.id);
        await appendAudit(tx, {
          actorId: user.id,
          meetingId: access.meeting.id,
          action: 'agenda.updated',
          data: { itemId: item.id, fields: Object.keys(body).sort() },
        });
      }
      return nodeOf(tx, access, itemId);
    });
  });

  app.delete('/api/agenda/:itemId', async (req, reply) => {
    const user = requireUser(req);
    const { itemId } = parse(AgendaItemParams, req.params, 'itemId');
    await db.transaction(async (tx) => {
      const { item, access } = await manageItem(tx, itemId, user);
      const removed = await deleteItemSubtree(tx, access.meeting.id, item);
      await touchMeeting(tx, access.meeting.id);
      await appendAudit(tx, { actorId: user.id, meetingId: access.meeting.id, action: 'agenda.deleted', data: { itemIds: removed } });
    });
    return reply.status(204).send();
  });

  app.put('/api/meetings/:id/agenda/order', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(ReorderAgendaRequest, req.body, 'body');
    return db.transaction(async (tx) => {
      const access = await manageOpenMeeting(tx, id, user);
      const moved = await applyReorder(tx, id, body.items);
      await touchMeeting(tx, id);
      await appendAudit(tx, { actorId: user.id, meetingId: id, action: 'agenda.reordered', data: { items: body.items.length, moved } });
      return { items: await agendaTree(tx, access) };
    });
  });
}
