import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { ChangePasswordRequest, CreateUserRequest, LoginRequest, type PublicUser } from '../../shared/api/auth';
import { appendAudit } from '../audit/log';
import { users } from '../db/schema';
import { AppError, conflict } from '../errors';
import { requireRole, requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { createSession, deleteSession, deleteUserSessions, type AuthUser } from './sessions';

export function toPublicUser(u: AuthUser): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, title: u.title };
}

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db, config } = ctx;

  app.post(
    '/api/auth/login',
    {
      config: {
        rateLimit: {
          max: config.loginRateLimit,
          timeWindow: 60_000,
          // After body parsing, so the key can include the username.
          hook: 'preHandler',
          // Per IP and username: one noisy user cannot lock the whole hall out (all share the hall's NAT).
          keyGenerator: (req) => {
            const body = req.body as { username?: unknown } | undefined;
            const name = typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 64) : '';
            return `${req.ip}|${name}`;
          },
        },
      },
    },
    async (req) => {
      const body = parse(LoginRequest, req.body, 'body');
      const username = body.username.toLowerCase();
      const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
      if (!user) {
        await verifyPassword(await dummyPasswordHash(), body.password);
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password');
      }
      if (user.lockedUntil && user.lockedUntil > new Date()) {
        throw new AppError(
          423,
          'ACCOUNT_LOCKED',
          `Account locked after repeated failed sign-ins; try again after ${user.lockedUntil.toISOString()} or ask an administrator`,
        );
      }
      const good = await verifyPassword(user.passwordHash, body.password);
      if (!good || user.disabled) {
        const failed = user.failedLogins + 1;
        const lock = failed >= config.lockoutThreshold;
        await db
          .update(users)
          .set({
            failedLogins: lock ? 0 : sql`${users.failedLogins} + 1`,
            lockedUntil: lock ? new Date(Date.now() + config.lockoutSeconds * 1000) : user.lockedUntil,
          })
          .where(eq(users.id, user.id));
        if (lock) {
          await appendAudit(db, { actorId: user.id, meetingId: null, action: 'auth.locked', data: { username } });
        }
        throw new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password');
      }
      if (user.failedLogins > 0 || user.lockedUntil) {
        await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
      }
      const session = await createSession(db, user.id, config.sessionTtlSeconds);
      return {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        user: toPublicUser({ ...user, title: user.title }),
      };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    requireUser(req);
    if (req.authToken) {
      await deleteSession(db, req.authToken);
    }
    return reply.status(204).send();
  });

  app.get('/api/me', async (req) => toPublicUser(requireUser(req)));

  app.post('/api/me/password', async (req, reply) => {
    const me = requireUser(req);
    const body = parse(ChangePasswordRequest, req.body, 'body');
    const [row] = await db.select().from(users).where(eq(users.id, me.id)).limit(1);
    if (!row || !(await verifyPassword(row.passwordHash, body.currentPassword))) {
      throw new AppError(401, 'INVALID_CREDENTIALS', 'Current password is wrong');
    }
    await db.update(users).set({ passwordHash: await hashPassword(body.newPassword) }).where(eq(users.id, me.id));
    // Every other session of this user ends: a changed password must lock out a thief.
    await deleteUserSessions(db, me.id, req.authToken ?? undefined);
    await appendAudit(db, { actorId: me.id, meetingId: null, action: 'auth.password_changed' });
    return reply.status(204).send();
  });

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
