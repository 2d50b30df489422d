import type { FastifyInstance } from 'fastify';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { IdParams } from '../../shared/api/common';
import { RsvpLinkAnswer, RsvpLinkViewRequest, SendInvitationsRequest } from '../../shared/api/invitations';
import { listInvitations, sendInvitations } from './service';
import { answerByLink, viewByLink } from './rsvp-link';

/** Invitations (giấy mời) by email and the RSVP link they carry (docs/api.md "Invitations"). */
export function registerInvitationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:id/invitations', async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    return listInvitations(ctx, id, user);
  });

  app.post('/api/meetings/:id/invitations', async (req, reply) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(SendInvitationsRequest, req.body ?? {}, 'body');
    return reply.status(201).send(await sendInvitations(ctx, id, user, body));
  });

  // No session: the signed link is the only credential, so guessing is rate-limited per IP.
  const limited = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };
  app.post('/api/rsvp-link/view', limited, async (req) => {
    const body = parse(RsvpLinkViewRequest, req.body, 'body');
    return viewByLink(ctx, body.token);
  });
  app.post('/api/rsvp-link', limited, async (req) => {
    const body = parse(RsvpLinkAnswer, req.body, 'body');
    return answerByLink(ctx, body);
  });
}
