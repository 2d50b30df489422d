import { Task, TaskList, type CreateTaskRequest, type TaskStatus } from '../../../shared/api/tasks';
import { api } from './http';

/** Follow-up tasks (docs/api.md "Tasks"); answers parsed with the shared schemas. */
export const taskEndpoints = {
  mine: () => api('GET', '/api/tasks/mine', TaskList),
  ofCouncil: (councilId: string, overdue: boolean) => api('GET', `/api/councils/${councilId}/tasks${overdue ? '?overdue=true' : ''}`, TaskList),
  ofMeeting: (meetingId: string) => api('GET', `/api/meetings/${meetingId}/tasks`, TaskList),
  create: (body: Omit<CreateTaskRequest, 'detail'> & { detail?: string }) => api('POST', '/api/tasks', Task, body),
  setStatus: (id: string, status: TaskStatus) => api('POST', `/api/tasks/${id}/status`, Task, { status }),
};
