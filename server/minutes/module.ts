import type { ServerModule } from '../http/module';
import { registerRecordRoutes } from './record-routes';
import { registerMinutesRoutes } from './routes';

/** The meeting record (speeches, conclusions) and the minutes written from it. */
export const minutesModule: ServerModule = {
  name: 'minutes',
  routes(app, ctx) {
    registerRecordRoutes(app, ctx);
    registerMinutesRoutes(app, ctx);
  },
};
