import type { ServerModule } from './http/module';
import { registerAuthRoutes } from './auth/routes';
import { roomModule } from './room/module';
import { councilsModule } from './councils/module';
import { meetingsModule } from './meetings/module';
import { agendaModule } from './agenda/module';
import { documentsModule } from './documents/module';
import { signaturesModule } from './signatures/module';
import { notesModule } from './notes/module';
import { exportsModule } from './exports/module';
import { mailModule } from './mail/module';
import { invitationsModule } from './invitations/module';
import { consultationsModule } from './consultations/module';
import { minutesModule } from './minutes/module';
import { tasksModule } from './tasks/module';

// The domain modules, in registration order. Each domain owns its folder under server/.
export const modules: readonly ServerModule[] = [{ name: 'auth', routes: registerAuthRoutes }, councilsModule, meetingsModule, agendaModule, documentsModule, notesModule, exportsModule, mailModule, invitationsModule, consultationsModule, minutesModule, tasksModule, signaturesModule, roomModule];
