import type { ServerModule } from '../http/module';
import { registerCalendarRoutes } from './calendar';
import { registerCouncilRoutes } from './routes';

export const councilsModule: ServerModule = {
  name: 'councils',
  routes(app, ctx) {
    registerCouncilRoutes(app, ctx);
    registerCalendarRoutes(app, ctx);
  },
};
