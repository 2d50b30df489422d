import { and, asc, eq, lt, notInArray } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { agendaItems, councilMembers, councils, meetingMembers, tasks, users } from '../db/schema';
import { appendAudit } from '../audit/log';
import { badRequest, forbidden, notFound } from '../errors';
import type { AuthUser } from '../auth/sessions';
import { meetingAccess } from '../meetings/access';
import { DEFAULT_TIME_ZONE, localDate } from '../../shared/time-zone';
import type { CreateTaskRequest, Task, TaskStatus } from '../../shared/api/tasks';

export type TaskRow = typeof tasks.$inferSelect;

const CLOSED: readonly TaskStatus[] = ['done', 'cancelled'];

/** Overdue: due before today in the council's zone (a task due today is not late yet), still open. */
export function isOverdue(t: Pick<TaskRow, 'dueDate' | 'status'>, timeZone: string, now: Date): boolean {
  return !CLOSED.includes(t.status) && t.dueDate < localDate(now, timeZone);
}

async function councilZone(db: Executor, councilId: string): Promise<string> {
  const [c] = await db
    .select({ timeZone: councils.timeZone })
    .from(councils)
    .where(eq(councils.id, councilId))
    .limit(1);
  return c?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** Staff of a council: admins, and council members whose account is secretary or chair. */
async function isCouncilStaff(db: Executor, user: AuthUser, councilId: string): Promise<boolean> {
  if (user.role === 'admin') {
    return true;
  }
  if (user.role !== 'secretary' && user.role !== 'chair') {
    return false;
  }
  return isCouncilMember(db, user.id, councilId);
}

async function isCouncilMember(db: Executor, userId: string, councilId: string): Promise<boolean> {
  const [m] = await db
    .select({ userId: councilMembers.userId })
    .from(councilMembers)
    .where(and(eq(councilMembers.councilId, councilId), eq(councilMembers.userId, userId)))
    .limit(1);
  return m !== undefined;
}

/**
 * Creates a task: from a meeting (its secretary, its chair or an admin; the task belongs to the
 * meeting's council; the assignee must be one of its members) or for a council (its staff; the
 * assignee must be a council member). Audited in the same transaction.
 */
export async function createTask(tx: Tx, user: AuthUser, body: CreateTaskRequest): Promise<TaskRow> {
  let councilId: string;
  if (body.meetingId) {
    const access = await meetingAccess(tx, body.meetingId, user);
    if (!access.canManage && access.role !== 'chair') {
      throw forbidden('Only the meeting secretary, its chair or an administrator can assign tasks from it');
    }
    if (!access.meeting.councilId) {
      throw badRequest(
        'Invalid meetingId: the meeting belongs to no council, so its tasks would have no overdue list; give councilId instead',
      );
    }
    if (body.councilId && body.councilId !== access.meeting.councilId) {
      throw badRequest('Invalid councilId: not the council of this meeting');
    }
    councilId = access.meeting.councilId;
    if (body.agendaItemId) {
      const [item] = await tx
        .select({ id: agendaItems.id })
        .from(agendaItems)
        .where(and(eq(agendaItems.id, body.agendaItemId), eq(agendaItems.meetingId, body.meetingId)))
        .limit(1);
      if (!item) {
        throw badRequest('Invalid agendaItemId: not an item of this meeting');
      }
    }
    const [member] = await tx
      .select({ userId: meetingMembers.userId })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, body.meetingId), eq(meetingMembers.userId, body.assigneeId)))
      .limit(1);
    if (!member && !(await isCouncilMember(tx, body.assigneeId, councilId))) {
      throw badRequest('Invalid assigneeId: not a member of this meeting or its council');
    }
  } else {
    councilId = body.councilId ?? '';
    const [c] = await tx
      .select({ id: councils.id })
      .from(councils)
      .where(eq(councils.id, councilId))
      .limit(1);
    if (!c) {
      throw notFound('Council');
    }
    if (!(await isCouncilStaff(tx, user, councilId))) {
      throw forbidden("Only the council's secretary, its chair or an administrator can assign its tasks");
    }
    if (!(await isCouncilMember(tx, body.assigneeId, councilId))) {
      throw badRequest('Invalid assigneeId: not a member of this council');
    }
  }
  const [assignee] = await tx
    .select({ disabled: users.disabled })
    .from(users)
    .where(eq(users.id, body.assigneeId))
    .limit(1);
  if (!assignee || assignee.disabled) {
    throw badRequest('Invalid assigneeId: no such active user');
  }
  const [row] = await tx
    .insert(tasks)
    .values({
      meetingId: body.meetingId ?? null,
      councilId,
      agendaItemId: body.agendaItemId ?? null,
      title: body.title,
      detail: body.detail,
      assigneeId: body.assigneeId,
      dueDate: body.dueDate,
      createdBy: user.id,
    })
    .returning();
  if (!row) {
    throw new Error('task insert returned nothing');
  }
  await appendAudit(tx, {
    actorId: user.id,
    meetingId: row.meetingId,
    action: 'task.created',
    data: {
      taskId: row.id,
      councilId,
      assigneeId: row.assigneeId,
      dueDate: row.dueDate,
      agendaItemId: row.agendaItemId,
    },
  });
  return row;
}

/**
 * The assignee moves their task between open, in progress and done; the staff who may assign it
 * (and its creator) may also cancel or reopen it.
 */
export async function updateTaskStatus(
  tx: Tx,
  user: AuthUser,
  taskId: string,
  status: TaskStatus,
): Promise<TaskRow> {
  const [t] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
  if (!t) {
    throw notFound('Task');
  }
  const staff = await mayManageTask(tx, user, t);
  const assignee = t.assigneeId === user.id;
  if (!staff && !assignee) {
    throw (await maySeeTask(tx, user, t))
      ? forbidden('Only the assignee or the staff who assigned it can change this task')
      : notFound('Task');
  }
  if (status === 'cancelled' && !staff) {
    throw forbidden('Only the staff who assigned a task can cancel it');
  }
  if (t.status === status) {
    return t;
  }
  const now = new Date();
  const [row] = await tx
    .update(tasks)
    .set({ status, updatedAt: now, doneAt: status === 'done' ? now : null })
    .where(eq(tasks.id, t.id))
    .returning();
  await appendAudit(tx, {
    actorId: user.id,
    meetingId: t.meetingId,
    action: 'task.status',
    data: { taskId: t.id, from: t.status, to: status },
  });
  return row ?? t;
}

async function mayManageTask(db: Executor, user: AuthUser, t: TaskRow): Promise<boolean> {
  if (user.role === 'admin' || t.createdBy === user.id) {
    return true;
  }
  if (t.meetingId) {
    const [m] = await db
      .select({ role: meetingMembers.role })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, t.meetingId), eq(meetingMembers.userId, user.id)))
      .limit(1);
    if (m && (m.role === 'secretary' || m.role === 'chair')) {
      return true;
    }
  }
  return isCouncilStaff(db, user, t.councilId);
}

async function maySeeTask(db: Executor, user: AuthUser, t: TaskRow): Promise<boolean> {
  return (
    user.role === 'admin' || t.assigneeId === user.id || (await isCouncilMember(db, user.id, t.councilId))
  );
}

/** Council list: its members and admins (a member who is not staff sees the list too: it is the council's work). */
export async function assertCouncilReader(db: Executor, user: AuthUser, councilId: string): Promise<void> {
  const [c] = await db.select({ id: councils.id }).from(councils).where(eq(councils.id, councilId)).limit(1);
  if (!c || (user.role !== 'admin' && !(await isCouncilMember(db, user.id, councilId)))) {
    throw notFound('Council');
  }
}

export type TaskFilter =
  | { readonly meetingId: string }
  | { readonly councilId: string; readonly overdue?: boolean }
  | { readonly assigneeId: string };

/** Tasks by due date; `overdue` computed per council zone at `now` (the overdue filter too). */
export async function listTasks(
  db: Executor,
  user: AuthUser,
  filter: TaskFilter,
  now = new Date(),
): Promise<Task[]> {
  const where =
    'meetingId' in filter
      ? eq(tasks.meetingId, filter.meetingId)
      : 'councilId' in filter
        ? eq(tasks.councilId, filter.councilId)
        : eq(tasks.assigneeId, filter.assigneeId);
  const conditions = [where];
  if ('councilId' in filter && filter.overdue) {
    const zone = await councilZone(db, filter.councilId);
    conditions.push(lt(tasks.dueDate, localDate(now, zone)), notInArray(tasks.status, [...CLOSED]));
  }
  const rows = await db
    .select({ t: tasks, assigneeName: users.displayName, timeZone: councils.timeZone })
    .from(tasks)
    .innerJoin(users, eq(users.id, tasks.assigneeId))
    .innerJoin(councils, eq(councils.id, tasks.councilId))
    .where(and(...conditions))
    .orderBy(asc(tasks.dueDate), asc(tasks.createdAt));
  const staffOf = new Map<string, boolean>();
  const out: Task[] = [];
  for (const r of rows) {
    let staff = staffOf.get(r.t.councilId + (r.t.meetingId ?? ''));
    if (staff === undefined) {
      staff = await mayManageTask(db, user, r.t);
      staffOf.set(r.t.councilId + (r.t.meetingId ?? ''), staff);
    }
    out.push(
      taskView(
        r.t,
        r.assigneeName,
        r.timeZone,
        now,
        staff || r.t.assigneeId === user.id || r.t.createdBy === user.id,
      ),
    );
  }
  return out;
}

export function taskView(
  t: TaskRow,
  assigneeName: string,
  timeZone: string,
  now: Date,
  canUpdate: boolean,
): Task {
  return {
    id: t.id,
    meetingId: t.meetingId,
    councilId: t.councilId,
    agendaItemId: t.agendaItemId,
    title: t.title,
    detail: t.detail,
    assigneeId: t.assigneeId,
    assigneeName,
    dueDate: t.dueDate,
    status: t.status,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    doneAt: t.doneAt?.toISOString() ?? null,
    overdue: isOverdue(t, timeZone, now),
    canUpdate,
  };
}

export async function viewOf(db: Executor, user: AuthUser, t: TaskRow, now = new Date()): Promise<Task> {
  const [u] = await db
    .select({ name: users.displayName })
    .from(users)
    .where(eq(users.id, t.assigneeId))
    .limit(1);
  return taskView(t, u?.name ?? '', await councilZone(db, t.councilId), now, true);
}
