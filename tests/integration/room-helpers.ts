import { spawn, type ChildProcess } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { createSession } from '../../server/auth/sessions';
import type { Db } from '../../server/db/client';
import { agendaItems, meetingMembers, meetings, polls, users } from '../../server/db/schema';
import type { PollRow } from '../../server/polls/tally';
import { RoomClient } from '../../shared/room/client';
import type { Ack } from '../../shared/room/events';

/** Shared setup of the room-*.test.ts files: the demo council's published meeting, real tokens. */
export interface RoomFixture {
  readonly meetingId: string;
  readonly itemId: string;
  readonly userIds: Map<string, string>;
  token(username: string): Promise<string>;
}

export async function roomFixture(db: Db, opts: { delegates?: number } = {}): Promise<RoomFixture> {
  // Our own meeting, independent of how the demo seed evolves: chair, secretary (runs the room),
  // delegate01…delegateNN (default 30) and an observer; "outsider" is not a member.
  // These two never sign in with a password (tests use sessions made below): skip the costly argon2 hash.
  const passwordHash = 'no-password-login';
  const [meeting] = await db
    .insert(meetings)
    .values({ title: 'Kỳ họp kiểm thử phòng họp', body: 'HĐND xã', startsAt: new Date(), status: 'published' })
    .returning();
  if (!meeting) {
    throw new Error('meeting insert failed');
  }
  const [item] = await db
    .insert(agendaItems)
    .values({ meetingId: meeting.id, position: 1, title: 'Nghị quyết về dự toán ngân sách', kind: 'resolution' })
    .returning();
  await db
    .insert(users)
    .values([
      { username: 'room-observer', displayName: 'Quan sát viên', role: 'observer', passwordHash },
      { username: 'outsider', displayName: 'Người ngoài', role: 'delegate', passwordHash },
    ])
    .onConflictDoNothing();
  if (!item) {
    throw new Error('fixture insert failed');
  }
  const byName = new Map((await db.select({ id: users.id, username: users.username }).from(users)).map((u) => [u.username, u.id]));
  const roleOf = (u: string): 'chair' | 'secretary' | 'observer' | 'delegate' =>
    u === 'chair' ? 'chair' : u === 'secretary' ? 'secretary' : u === 'room-observer' ? 'observer' : 'delegate';
  const memberNames = ['chair', 'secretary', 'room-observer', ...delegates(opts.delegates ?? 30)];
  await db.insert(meetingMembers).values(
    memberNames.map((u) => {
      const userId = byName.get(u);
      if (!userId) {
        throw new Error(`no user ${u}`);
      }
      return { meetingId: meeting.id, userId, role: roleOf(u), canRunRoom: u === 'secretary' };
    }),
  );
  const all = await db.select({ id: users.id, username: users.username }).from(users);
  const userIds = new Map(all.map((u) => [u.username, u.id]));
  const tokens = new Map<string, string>();
  return {
    meetingId: meeting.id,
    itemId: item.id,
    userIds,
    async token(username) {
      const have = tokens.get(username);
      if (have) {
        return have;
      }
      const id = userIds.get(username);
      if (!id) {
        throw new Error(`no user ${username}`);
      }
      const { token } = await createSession(db, id, 3600);
      tokens.set(username, token);
      return token;
    },
  };
}

export async function setSecretaryRunsRoom(db: Db, meetingId: string, userId: string, can: boolean): Promise<void> {
  await db
    .update(meetingMembers)
    .set({ canRunRoom: can })
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)));
}

export async function connectAs(url: string, f: RoomFixture, username: string): Promise<RoomClient> {
  const c = new RoomClient({ url, token: await f.token(username), ackTimeoutMs: 15_000 });
  await c.connect();
  return c;
}

export function delegates(n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, i) => `delegate${String(i + from).padStart(2, '0')}`);
}

/** Unwraps an ok ack or fails the test with the server's error. */
export function ok<T extends object>(res: Ack<T>): T {
  if (!res.ok) {
    throw new Error(`expected ok, got ${res.error.code}: ${res.error.message}`);
  }
  return res;
}

export function errCode(res: Ack<object>): string | undefined {
  return res.ok ? undefined : res.error.code;
}

/** Resolves with the first event matching `pred` (or rejects after `ms`). */
export function waitFor<T>(subscribe: (l: (v: T) => void) => () => void, pred: (v: T) => boolean, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const off = subscribe((v) => {
      if (pred(v)) {
        clearTimeout(t);
        off();
        resolve(v);
      }
    });
    const t = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for event'));
    }, ms);
  });
}

// node --import tsx, not the tsx binary: tsx forks a child, and SIGKILL must hit the server itself.
export const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

/** Starts `server/main.ts` as a real child process and resolves with its URL. */
export function spawnServer(
  dataDir: string,
  port: number,
  databaseUrl: string | undefined,
  redisUrl = '',
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(NODE_TSX[0], [NODE_TSX[1], NODE_TSX[2], 'server/main.ts', '--port', String(port), '--data', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl ?? '', REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    // Generous: PGlite replays its WAL after a SIGKILL, and the shared CI machine may be busy.
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 180_000);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(t);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
}

/**
 * A yes/no/abstain poll written straight to the database in the given state (default open), as the
 * room's own handlers would leave it; for tests that drive the ballot queue or the broadcasts directly.
 */
export async function insertPoll(
  db: Db,
  meetingId: string,
  opts: { correction?: 'change_until_close' | 'final'; status?: 'draft' | 'open' | 'closed'; closesAt?: Date; secret?: boolean; durationSeconds?: number } = {},
): Promise<PollRow> {
  const status = opts.status ?? 'open';
  const [row] = await db
    .insert(polls)
    .values({
      meetingId,
      title: 'Nghị quyết kiểm thử',
      kind: 'yes_no_abstain',
      options: JSON.stringify([{ id: 'yes', label: 'Tán thành' }, { id: 'no', label: 'Không tán thành' }, { id: 'abstain', label: 'Không biểu quyết' }]),
      secret: opts.secret ?? false,
      base: 'all',
      thresholdNum: 1,
      thresholdDen: 2,
      thresholdStrict: true,
      correction: opts.correction ?? 'change_until_close',
      hideTally: false,
      status,
      openedAt: status === 'draft' ? null : new Date(),
      closesAt: opts.closesAt,
      durationSeconds: opts.durationSeconds,
      closedAt: status === 'closed' ? new Date() : null,
    })
    .returning();
  if (!row) {
    throw new Error('poll insert failed');
  }
  return row;
}
