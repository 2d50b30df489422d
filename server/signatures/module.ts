import type { FastifyInstance } from 'fastify';
import type { ServerModule } from '../http/module';
import type { AppContext } from '../http/context';
import { registerSignedDocumentRoutes } from './routes-documents';
import { registerTrustRoutes } from './routes-trust';

export const signaturesModule: ServerModule = {
  name: 'signatures',
  routes(app: FastifyInstance, ctx: AppContext) {
    registerTrustRoutes(app, ctx);
    registerSignedDocumentRoutes(app, ctx);
  },
};
