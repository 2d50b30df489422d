import type { FastifyInstance } from 'fastify';
import type { ServerModule } from '../http/module';
import type { AppContext } from '../http/context';
import { registerSignedDocumentRoutes } from './routes-documents';
import { registerSigningRoutes } from './routes-signing';
import { registerTrustRoutes } from './routes-trust';
import { registerTsaRoutes } from './routes-tsa';

export const signaturesModule: ServerModule = {
  name: 'signatures',
  routes(app: FastifyInstance, ctx: AppContext) {
    registerTrustRoutes(app, ctx);
    registerSignedDocumentRoutes(app, ctx);
    registerSigningRoutes(app, ctx);
    registerTsaRoutes(app, ctx);
  },
};
