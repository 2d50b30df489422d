import type { ServerModule } from '../http/module';
import { registerExportRoutes } from './routes';

export const exportsModule: ServerModule = { name: 'exports', routes: registerExportRoutes };
