import type { ServerModule } from '../http/module';
import { registerMeetingRoutes } from './routes';
import { registerMemberRoutes } from './members-routes';

export const meetingsModule: ServerModule = {
  name: 'meetings',
  routes(app, ctx) {
    registerMeetingRoutes(app, ctx);
    registerMemberRoutes(app, ctx);
  },
};
