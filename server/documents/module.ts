import type { ServerModule } from '../http/module';
import { registerDocumentRoutes } from './routes';

export const documentsModule: ServerModule = { name: 'documents', routes: registerDocumentRoutes };
