import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
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
  let q = prepared.get(db);
  if (!q) {
    // Prepared once per database (every socket handshake reads here): see readMembers in server/meetings/member.ts.
    q = db
      .select({
        tokenHash: sessions.tokenHash,
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        title: users.title,
        disabled: users.disabled,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(sql`${sessions.tokenHash} = any(${sql.placeholder('hashes')})`, gt(sessions.expiresAt, sql.placeholder('now'))))
      .prepare('session_read');
    prepared.set(db, q);
  }
  // The same text drizzle sends for a timestamptz column.
  const rows = await q.execute({ hashes: [...tokenHashes], now: new Date().toISOString() });
  const out = new Map<string, AuthUser>();
  for (const row of rows) {
    if (!row.disabled) {
      out.set(row.tokenHash, { id: row.id, username: row.username, displayName: row.displayName, role: row.role, title: row.title });
    }
  }
  return out;
}

interface SessionRow {
  readonly tokenHash: string;
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: AuthUser['role'];
  readonly title: string | null;
  readonly disabled: boolean;
}
const prepared = new WeakMap<Db, { execute(values: { hashes: string[]; now: string }): Promise<SessionRow[]> }>();

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
