import type { ServerModule } from './http/module';
import { registerAuthRoutes } from './auth/routes';

// The domain modules, in registration order. Each domain owns its folder under server/.
export const modules: readonly ServerModule[] = [{ name: 'auth', routes: registerAuthRoutes }];
