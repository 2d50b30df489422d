import type { ServerModule } from '../http/module';
import { registerAgendaRoutes } from './routes';

export const agendaModule: ServerModule = { name: 'agenda', routes: registerAgendaRoutes };
