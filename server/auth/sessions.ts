import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDatabase } from '../db/per-database';
import { sessions, users } from '../db/schema';
import type { UserRole } from '../../shared/roles';

export interface AuthUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly title: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Opaque bearer token: 32 random bytes; only its sha256 is stored. */
export async function createSession(db: Db, userId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId, expiresAt });
  // Opportunistic cleanup keeps the table small without a scheduler.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return { token, expiresAt };
}

export async function resolveToken(db: Db, token: string): Promise<AuthUser | null> {
  const tokenHash = hashToken(token);
  return (await resolveTokenHashes(db, [tokenHash])).get(tokenHash) ?? null;
}

/**
 * The users of live sessions, by token hash (sha256), in one statement: expired sessions and
 * disabled users are left out, as resolveToken refuses them.
 */
export async function resolveTokenHashes(db: Db, tokenHashes: readonly string[]): Promise<Map<string, AuthUser>> {
  const rows = await sessionRead(db).execute(liveSessionValues(tokenHashes));
  const out = new Map<string, AuthUser>();
  for (const row of rows) {
    const user = authUserOf(row);
    if (user) {
      out.set(row.tokenHash, user);
    }
  }
  return out;
}

/**
 * The columns of a session read; the room's handshake read (server/room/handshake-reads.ts) adds the
 * memberships to them.
 */
export const sessionUserColumns = {
  tokenHash: sessions.tokenHash,
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  title: users.title,
  disabled: users.disabled,
};

/** Sessions by token hash (placeholder `hashes`) that have not expired (placeholder `now`). */
export const liveSessionsWhere = () => and(sql`${sessions.tokenHash} = any(${sql.placeholder('hashes')})`, gt(sessions.expiresAt, sql.placeholder('now')));

/** The placeholders' values for liveSessionsWhere (`now`: the text drizzle sends for a timestamptz column). */
export const liveSessionValues = (tokenHashes: readonly string[]): { hashes: string[]; now: string } => ({ hashes: [...tokenHashes], now: new Date().toISOString() });

/** The user of a session row; null when the account is disabled (resolveToken refuses those). */
export function authUserOf(row: { readonly id: string; readonly username: string; readonly displayName: string; readonly role: UserRole; readonly title: string | null; readonly disabled: boolean }): AuthUser | null {
  return row.disabled ? null : { id: row.id, username: row.username, displayName: row.displayName, role: row.role, title: row.title };
}

const sessionRead = perDatabase((db) =>
  db.select(sessionUserColumns).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(liveSessionsWhere()).prepare('session_read'),
);

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

export async function deleteUserSessions(db: Db, userId: string, exceptToken?: string): Promise<void> {
  const all = await db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId));
  const keep = exceptToken ? hashToken(exceptToken) : undefined;
  for (const s of all) {
    if (s.h !== keep) {
      await db.delete(sessions).where(eq(sessions.tokenHash, s.h));
    }
  }
}
