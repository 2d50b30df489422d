import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../../server/db/client';
import { attendance, meetingMembers, meetings, sessions, users } from '../../server/db/schema';
import { hashPassword } from '../../server/auth/passwords';
import { hashToken } from '../../server/auth/sessions';
import type { PreparedStorage } from './storage';

export interface Participant {
  readonly userId: string;
  readonly token: string;
  readonly meetingId: string;
}

export interface Fixture {
  readonly chairs: Participant[];
  readonly delegates: Participant[];
}

const BATCH = 1_000;

/**
 * Writes the accounts, meetings and sessions straight into the database before the server starts.
 * Why not REST: N logins cost N argon2id verifications (≈ 20 ms of CPU each) and would measure the
 * password hash, not the room. So: ONE argon2id hash shared by every bench account, and session rows
 * inserted directly (sha256 of a random token, exactly what POST /api/auth/login stores). Meetings are
 * already in progress with every member marked present, so quorum holds and polls can open at once.
 */
export async function populate(storage: PreparedStorage, delegates: number, meetingCount: number): Promise<Fixture> {
  const database = await openDatabase({ databaseUrl: storage.databaseUrl, pgliteDir: join(storage.dataDir, 'db'), poolSize: 2 });
  try {
    const fixture = await insertAll(database.db, delegates, meetingCount);
    if (storage.kind === 'postgres') {
      // A council's members are entered days before its session, and PostgreSQL's autovacuum has
      // analyzed them long before the vote; a database filled a second ago has no statistics yet and
      // the planner would nest-loop the voting count. (PGlite: the server's own pass analyzes on start.)
      await database.db.execute(sql`analyze`);
    }
    return fixture;
  } finally {
    await database.close();
  }
}

async function insertAll(db: Db, delegateCount: number, meetingCount: number): Promise<Fixture> {
  const passwordHash = await hashPassword(`bench-${randomBytes(8).toString('hex')}`);
  const pad = (i: number): string => String(i).padStart(5, '0');
  const chairIds = await insertUsers(
    db,
    Array.from({ length: meetingCount }, (_, i) => ({ username: `bench-chair-${pad(i)}`, displayName: `Chủ tọa ${pad(i)}`, role: 'chair' as const, passwordHash })),
  );
  const delegateIds = await insertUsers(
    db,
    Array.from({ length: delegateCount }, (_, i) => ({ username: `bench-delegate-${pad(i)}`, displayName: `Đại biểu ${pad(i)}`, role: 'delegate' as const, passwordHash })),
  );
  const meetingIds: string[] = [];
  for (let i = 0; i < meetingCount; i += BATCH) {
    const rows = await db
      .insert(meetings)
      .values(
        Array.from({ length: Math.min(BATCH, meetingCount - i) }, (_, k) => ({
          title: `Kỳ họp đo tải ${pad(i + k)}`,
          body: 'HĐND (benchmark)',
          startsAt: new Date(),
          status: 'in_progress' as const,
        })),
      )
      .returning({ id: meetings.id });
    meetingIds.push(...rows.map((r) => r.id));
  }
  const meetingOf = (i: number): string => meetingIds[i % meetingCount] ?? '';
  const members = [
    ...chairIds.map((userId, i) => ({ meetingId: meetingOf(i), userId, role: 'chair' as const })),
    ...delegateIds.map((userId, i) => ({ meetingId: meetingOf(i), userId, role: 'delegate' as const })),
  ];
  for (let i = 0; i < members.length; i += BATCH) {
    const chunk = members.slice(i, i + BATCH);
    await db.insert(meetingMembers).values(chunk.map((m) => ({ ...m, rsvp: 'attending' as const })));
    await db.insert(attendance).values(chunk.map((m) => ({ meetingId: m.meetingId, userId: m.userId, present: true, source: 'staff' as const })));
  }
  const withTokens = members.map((m) => ({ ...m, token: randomBytes(32).toString('base64url') }));
  const expiresAt = new Date(Date.now() + 6 * 3600 * 1000);
  for (let i = 0; i < withTokens.length; i += BATCH) {
    await db.insert(sessions).values(withTokens.slice(i, i + BATCH).map((m) => ({ tokenHash: hashToken(m.token), userId: m.userId, expiresAt })));
  }
  const strip = ({ userId, token, meetingId }: (typeof withTokens)[number]): Participant => ({ userId, token, meetingId });
  return {
    chairs: withTokens.filter((m) => m.role === 'chair').map(strip),
    delegates: withTokens.filter((m) => m.role === 'delegate').map(strip),
  };
}

async function insertUsers(db: Db, rows: (typeof users.$inferInsert)[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const out = await db.insert(users).values(rows.slice(i, i + BATCH)).returning({ id: users.id });
    ids.push(...out.map((r) => r.id));
  }
  return ids;
}
