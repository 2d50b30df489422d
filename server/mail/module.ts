import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import { users } from '../db/schema';
import { notFound } from '../errors';
import { requireRole, type AppContext } from '../http/context';
import type { ServerModule } from '../http/module';
import { parse } from '../http/validate';
import { IdParams } from '../../shared/api/common';
import { SetEmailRequest } from '../../shared/api/auth';

/** PUT /api/users/:id/email — an administrator records where a user's mail goes. */
function registerMailRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put('/api/users/:id/email', async (req) => {
    const admin = requireRole(req, 'admin');
    const { id } = parse(IdParams, req.params, 'params');
    const { email } = parse(SetEmailRequest, req.body, 'body');
    return ctx.db.transaction(async (tx) => {
      const [u] = await tx.update(users).set({ email }).where(eq(users.id, id)).returning({ id: users.id, email: users.email });
      if (!u) {
        throw notFound('User');
      }
      // The address itself is personal data: the audit records that it changed.
      await appendAudit(tx, { actorId: admin.id, meetingId: null, action: 'user.email', data: { userId: id, set: email !== null } });
      return u;
    });
  });
}

export const mailModule: ServerModule = { name: 'mail', routes: registerMailRoutes };
