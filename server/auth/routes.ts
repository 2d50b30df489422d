import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { ChangePasswordRequest, CreateUserRequest, LoginRequest, type PublicUser } from '../../shared/api/auth';
import { appendAudit, appendAuditAlone } from '../audit/log';
import { users } from '../db/schema';
import { AppError, conflict } from '../errors';
import { requireRole, requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { createSession, deleteSession, deleteUserSessions, hashToken, type AuthUser } from './sessions';
import { claimLoginAttempt, loginSucceeded, normaliseUsername } from './throttle';

export function toPublicUser(u: AuthUser): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, title: u.title };
}

function tooManyAttempts(retryAfterSeconds: number): AppError {
  return new AppError(429, 'RATE_LIMITED', `Too many failed sign-in attempts from here; try again in ${retryAfterSeconds} s`, {
    'retry-after': String(retryAfterSeconds),
  });
}

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db, config } = ctx;
  const loginIpLimit = app.rateLimit({ max: config.loginIpRateLimit, timeWindow: 60_000, keyGenerator: (req) => `login-ip:${req.ip}` });

  app.post(
    '/api/auth/login',
    {
      config: {
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: 60_000,
          // After body parsing, so the key can include the username.
          hook: 'preHandler',
          // Per IP and normalised username (" Chair" and "chair" are one account, so one key).
          keyGenerator: (req) => {
            const body = req.body as { username?: unknown } | undefined;
            const name = typeof body?.username === 'string' ? normaliseUsername(body.username) : '';
            return `${req.ip}|${name}`;
          },
        },
      },
      // Per IP, whatever the username: spraying many accounts from one address.
      preHandler: loginIpLimit,
    },
    async (req) => {
      const body = parse(LoginRequest, req.body, 'body');
      const username = normaliseUsername(body.username);
      const ip = req.ip;
      // Claimed before the password is read: concurrent attempts are counted one by one.
      const claim = await claimLoginAttempt(db, config, username, ip);
      if (!claim.ok) {
        await appendAuditAlone(db, { actorId: null, meetingId: null, action: 'auth.login_throttled', data: { username, ip } });
        throw tooManyAttempts(claim.retryAfterSeconds);
      }
      const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
      // Unknown, disabled and wrong-password sign-ins look the same: same work, same answer, same throttle.
      const good = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!user || !good || user.disabled) {
        await appendAuditAlone(db, { actorId: user?.id ?? null, meetingId: null, action: 'auth.login_failed', data: { username, ip } });
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password');
      }
      await loginSucceeded(db, config, username, ip);
      const session = await createSession(db, user.id, config.sessionTtlSeconds);
      await appendAuditAlone(db, { actorId: user.id, meetingId: null, action: 'auth.login', data: { ip } });
      return {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        user: toPublicUser({ ...user, title: user.title }),
      };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    const me = requireUser(req);
    if (req.authToken) {
      await deleteSession(db, req.authToken);
      ctx.liveSessions.sessionEnded(hashToken(req.authToken));
    }
    await appendAuditAlone(db, { actorId: me.id, meetingId: null, action: 'auth.logout', data: { ip: req.ip } });
    return reply.status(204).send();
  });

  app.get('/api/me', async (req) => toPublicUser(requireUser(req)));

  app.post(
    '/api/me/password',
    {
      config: {
        rateLimit: {
          max: config.passwordChangeRateLimit,
          timeWindow: 15 * 60_000,
          // Per account (the token's user), so a stolen session cannot guess the current password fast.
          keyGenerator: (req) => (req.authUser ? `pw:${req.authUser.id}` : `pw-ip:${req.ip}`),
        },
      },
    },
    async (req, reply) => {
      const me = requireUser(req);
      const body = parse(ChangePasswordRequest, req.body, 'body');
      // Wrong current passwords count in the sign-in throttle too: the same secret, the same limits.
      const claim = await claimLoginAttempt(db, config, me.username, req.ip);
      if (!claim.ok) {
        throw tooManyAttempts(claim.retryAfterSeconds);
      }
      const [row] = await db.select().from(users).where(eq(users.id, me.id)).limit(1);
      if (!row || !(await verifyPassword(row.passwordHash, body.currentPassword))) {
        await appendAuditAlone(db, { actorId: me.id, meetingId: null, action: 'auth.password_change_failed', data: { ip: req.ip } });
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Current password is wrong');
      }
      await loginSucceeded(db, config, me.username, req.ip);
      await db.update(users).set({ passwordHash: await hashPassword(body.newPassword) }).where(eq(users.id, me.id));
      // Every other session of this user ends: a changed password must lock out a thief, live sockets included.
      await deleteUserSessions(db, me.id, req.authToken ?? undefined);
      ctx.liveSessions.userSessionsEnded(me.id, req.authToken ? hashToken(req.authToken) : undefined);
      await appendAuditAlone(db, { actorId: me.id, meetingId: null, action: 'auth.password_changed', data: { ip: req.ip } });
      return reply.status(204).send();
    },
  );

  app.get('/api/users', async (req) => {
    requireRole(req, 'admin', 'secretary', 'chair');
    const rows = await db
      .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, title: users.title, email: users.email })
      .from(users)
      .orderBy(users.username);
    return { users: rows };
  });

  app.post('/api/users', async (req, reply) => {
    const me = requireRole(req, 'admin');
    const body = parse(CreateUserRequest, req.body, 'body');
    const passwordHash = await hashPassword(body.password);
    const created = await db.transaction(async (tx) => {
      const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.username, body.username)).limit(1);
      if (exists) {
        throw conflict(`Username ${body.username} is taken`);
      }
      const [u] = await tx
        .insert(users)
        .values({ username: body.username, displayName: body.displayName, role: body.role, title: body.title ?? null, email: body.email ?? null, passwordHash })
        .returning();
      if (!u) {
        throw new Error('insert returned nothing');
      }
      await appendAudit(tx, { actorId: me.id, meetingId: null, action: 'user.created', data: { userId: u.id, role: u.role } });
      return u;
    });
    return reply.status(201).send(toPublicUser(created));
  });
}
