import type { ServerModule } from '../http/module';
import { startTaskReminderScheduler } from './reminders';
import { registerTaskRoutes } from './routes';

export const tasksModule: ServerModule = {
  name: 'tasks',
  routes: registerTaskRoutes,
  start: async (_app, ctx) => startTaskReminderScheduler(ctx),
};
