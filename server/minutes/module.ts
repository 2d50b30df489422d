import type { ServerModule } from '../http/module';
import { registerRecordRoutes } from './record-routes';
import { registerNoticeRoutes } from './notice-routes';
import { registerMinutesRoutes } from './routes';

/** The meeting record (speeches, conclusions) and the minutes and conclusion notice written from it. */
export const minutesModule: ServerModule = {
  name: 'minutes',
  routes(app, ctx) {
    registerRecordRoutes(app, ctx);
    registerMinutesRoutes(app, ctx);
    registerNoticeRoutes(app, ctx);
  },
};
