import { z } from 'zod';

/** REST contracts of follow-up tasks (giao việc) — docs/api.md "Tasks". */

export const TaskStatus = z.enum(['open', 'in_progress', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** A calendar day, YYYY-MM-DD, read in the council's time zone. */
export const CalendarDate = z.iso.date();

export const Task = z.object({
  id: z.uuid(),
  meetingId: z.uuid().nullable(),
  councilId: z.uuid(),
  agendaItemId: z.uuid().nullable(),
  title: z.string(),
  detail: z.string(),
  assigneeId: z.uuid(),
  assigneeName: z.string(),
  dueDate: CalendarDate,
  status: TaskStatus,
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
  /** Due date before today in the council's time zone, and neither done nor cancelled. */
  overdue: z.boolean(),
  /** What the caller may do with it. */
  canUpdate: z.boolean(),
});
export type Task = z.infer<typeof Task>;
export const TaskList = z.object({ tasks: z.array(Task) });

/** From a meeting (its council is the task's council) or for a council directly. */
export const CreateTaskRequest = z
  .object({
    meetingId: z.uuid().optional(),
    councilId: z.uuid().optional(),
    agendaItemId: z.uuid().optional(),
    title: z.string().trim().min(1).max(500),
    detail: z.string().trim().max(5000).default(''),
    assigneeId: z.uuid(),
    dueDate: CalendarDate,
  })
  .refine((b) => b.meetingId !== undefined || b.councilId !== undefined, {
    message: 'Give meetingId or councilId',
    path: ['meetingId'],
  })
  .refine((b) => b.agendaItemId === undefined || b.meetingId !== undefined, {
    message: 'agendaItemId needs meetingId',
    path: ['agendaItemId'],
  });
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

export const UpdateTaskStatusRequest = z.object({ status: TaskStatus });

export const CouncilTasksQuery = z.object({ overdue: z.enum(['true', 'false']).optional() });
