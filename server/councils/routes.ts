import type { FastifyInstance } from 'fastify';
import { CreateCouncilRequest } from '../../shared/api/meetings';
import { requireRole, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { createCouncil, listCouncils } from './service';

/** Councils (HĐND / UBND): the standing bodies whose members and quorum rule new meetings copy. */
export function registerCouncilRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;

  // The staff who prepare and run meetings pick a council when creating one.
  app.get('/api/councils', async (req) => {
    requireRole(req, 'admin', 'secretary', 'chair');
    return { councils: await listCouncils(db) };
  });

  app.post('/api/councils', async (req, reply) => {
    const user = requireRole(req, 'admin');
    const body = parse(CreateCouncilRequest, req.body, 'body');
    const council = await db.transaction((tx) => createCouncil(tx, user.id, body));
    return reply.status(201).send(council);
  });
}
