import type { ServerModule } from '../http/module';
import { registerNoteRoutes } from './routes';

export const notesModule: ServerModule = { name: 'notes', routes: registerNoteRoutes };
