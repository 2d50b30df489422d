import type { ServerModule } from '../http/module';
import { registerInvitationRoutes } from './routes';

export const invitationsModule: ServerModule = { name: 'invitations', routes: registerInvitationRoutes };
