import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common';
import {
  CouncilTasksQuery,
  CreateTaskRequest,
  UpdateTaskStatusRequest,
  type Task,
} from '../../shared/api/tasks';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { meetingAccess } from '../meetings/access';
import { assertCouncilReader, createTask, listTasks, updateTaskStatus, viewOf } from './service';

/** Follow-up tasks (giao việc): assign from a meeting's conclusions, follow per meeting, per council, per assignee. */
export function registerTaskRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  app.post('/api/tasks', async (req, reply) => {
    const user = requireUser(req);
    const body = parse(CreateTaskRequest, req.body, 'body');
    const row = await db.transaction((tx) => createTask(tx, user, body));
    return reply.status(201).send(await viewOf(db, user, row));
  });

  app.get('/api/tasks/mine', async (req) => {
    const user = requireUser(req);
    return { tasks: await listTasks(db, user, { assigneeId: user.id }) };
  });

  app.get('/api/meetings/:id/tasks', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    await meetingAccess(db, id, user);
    return { tasks: await listTasks(db, user, { meetingId: id }) };
  });

  app.get('/api/councils/:id/tasks', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const query = parse(CouncilTasksQuery, req.query, 'query');
    await assertCouncilReader(db, user, id);
    return { tasks: await listTasks(db, user, { councilId: id, overdue: query.overdue === 'true' }) };
  });

  app.post('/api/tasks/:id/status', async (req): Promise<Task> => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'id');
    const body = parse(UpdateTaskStatusRequest, req.body, 'body');
    const row = await db.transaction((tx) => updateTaskStatus(tx, user, id, body.status));
    return viewOf(db, user, row);
  });
}
