import type { ServerModule } from '../http/module';
import { registerCouncilRoutes } from './routes';

export const councilsModule: ServerModule = { name: 'councils', routes: registerCouncilRoutes };
