import type { ServerModule } from '../http/module';
import { startReminderScheduler } from './reminders';
import { registerConsultationRoutes } from './routes';

export const consultationsModule: ServerModule = {
  name: 'consultations',
  routes: registerConsultationRoutes,
  start: async (_app, ctx) => startReminderScheduler(ctx),
};
