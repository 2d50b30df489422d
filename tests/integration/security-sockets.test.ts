import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededServer } from '../../seeds/server';
import { createSession, hashToken } from '../../server/auth/sessions';
import { and, eq } from 'drizzle-orm';
import { meetingMembers, meetings, sessions } from '../../server/db/schema';
import { HANDSHAKE_FRESH_MS } from '../../server/room/member-reads';
import { openDatabase } from '../../server/db/client';
import { Api } from '../helpers/http';
import { freshPostgresDatabase, startServer, storages, type TestServer } from '../helpers/server';
import type { Ack, DocumentsChanged } from '../../shared/room/events';
import { roomFixture, spawnServer, type RoomFixture } from './room-helpers';

/**
 * Live sockets follow what REST changes about their user (docs/security.md "Server controls"): logout
 * and a password change close them, removal from a meeting and a role change re-scope them at once.
 */

interface Live {
  readonly socket: Socket;
  readonly notices: DocumentsChanged[];
  request(event: string, payload: unknown): Promise<Ack<object>>;
  disconnected: Promise<string>;
}

function within<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

async function live(url: string, token: string): Promise<Live> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const notices: DocumentsChanged[] = [];
  socket.on('documents:changed', (d: DocumentsChanged) => notices.push(d));
  const disconnected = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    }),
    'connect',
  );
  return {
    socket,
    notices,
    disconnected,
    request: (event, payload) => socket.timeout(15_000).emitWithAck(event, payload) as Promise<Ack<object>>,
  };
}

async function makePdf(label: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(label);
  doc.addPage([300, 400]);
  return doc.save();
}

async function upload(api: Api, meetingId: string, confidentiality: string): Promise<string> {
  const form = new FormData();
  form.append('confidentiality', confidentiality);
  form.append('file', new Blob([new Uint8Array(await makePdf(confidentiality))], { type: 'application/pdf' }), 'tờ trình.pdf');
  const res = await fetch(`${api.base}/api/meetings/${meetingId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${api.token ?? ''}` }, body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe.each(storages())('live sockets after REST changes on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let secretary: Api;
  const sockets: Live[] = [];

  const session = async (username: string): Promise<string> => (await createSession(srv.server.ctx.db, f.userIds.get(username) ?? '', 3600)).token;
  const joined = async (token: string): Promise<Live> => {
    const l = await live(srv.url, token);
    sockets.push(l);
    expect((await l.request('meeting:join', { meetingId: f.meetingId })).ok).toBe(true);
    return l;
  };

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    secretary = new Api(srv.url, await f.token('secretary'));
  });
  afterAll(async () => {
    for (const s of sockets) {
      s.socket.close();
    }
    await srv.close();
  });

  it("logout closes that session's sockets and no other", async () => {
    const token = await session('delegate01');
    const mine = await joined(token);
    const otherDevice = await joined(await session('delegate01'));
    expect((await new Api(srv.url, token).post('/api/auth/logout')).status).toBe(204);
    expect(await within(mine.disconnected, 'socket closed after logout')).toBe('io server disconnect');
    expect((await otherDevice.request('meeting:snapshot', { meetingId: f.meetingId })).ok).toBe(true);
  });

  // Handshakes (and joins) asked together share one database read (server/db/read-batch.ts):
  // each must still be judged on its own token and its own membership.
  it('judges every handshake and join of one burst on its own token and membership', async () => {
    const refusal = async (token: string): Promise<string> =>
      within(
        new Promise<string>((resolve) => {
          const s = io(srv.url, { auth: { token }, transports: ['websocket'], reconnection: false });
          s.once('connect', () => {
            s.close();
            resolve('connected');
          });
          s.once('connect_error', (err: Error & { data?: { code?: string } }) => {
            s.close();
            resolve(err.data?.code ?? err.message);
          });
        }),
        'handshake answered',
      );
    const loggedOut = await session('delegate05');
    expect((await new Api(srv.url, loggedOut).post('/api/auth/logout')).status).toBe(204);
    const expired = 'e'.repeat(43);
    await srv.server.ctx.db.insert(sessions).values({ tokenHash: hashToken(expired), userId: f.userIds.get('delegate06') ?? '', expiresAt: new Date(Date.now() - 1_000) });
    const members = ['delegate07', 'delegate08', 'delegate09', 'delegate10', 'room-observer'];
    const goodTokens = await Promise.all(members.map((u) => session(u)));
    const outsider = await session('outsider');
    // All at once: the refused ones land in the same batches as the accepted ones.
    const [accepted, refused] = await Promise.all([
      Promise.all([...goodTokens, outsider].map((t) => live(srv.url, t))),
      Promise.all([loggedOut, expired, 'x'.repeat(43)].map(refusal)),
    ]);
    sockets.push(...accepted);
    expect(refused).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const joins = await Promise.all(accepted.map((l) => l.request('meeting:join', { meetingId: f.meetingId })));
    expect(joins.map((j) => (j.ok ? (j as unknown as { snapshot: { me: { userId: string } } }).snapshot.me.userId : j.error.code))).toEqual([
      ...members.map((u) => f.userIds.get(u)),
      'NOT_FOUND',
    ]);
    // Logged out while a socket of it is open: the open one closes, the next handshake is refused.
    const token = await session('delegate11');
    const open = await joined(token);
    expect((await new Api(srv.url, token).post('/api/auth/logout')).status).toBe(204);
    expect(await within(open.disconnected, 'socket closed after logout')).toBe('io server disconnect');
    expect(await refusal(token)).toBe('UNAUTHENTICATED');
  });

  it("a password change closes the user's other sessions' sockets", async () => {
    const changer = await session('delegate02');
    const sameSession = await joined(changer);
    const thief = await joined(await session('delegate02'));
    const r = await new Api(srv.url, changer).post('/api/me/password', { currentPassword: 'demo1234', newPassword: 'new-pass-123' });
    expect(r.status).toBe(204);
    expect(await within(thief.disconnected, 'other session closed after password change')).toBe('io server disconnect');
    expect((await sameSession.request('meeting:snapshot', { meetingId: f.meetingId })).ok).toBe(true);
  });

  it('a removed member stops getting the meeting’s events at once', async () => {
    const removed = await joined(await session('delegate03'));
    const control = await joined(await session('delegate04'));
    expect((await secretary.delete(`/api/meetings/${f.meetingId}/members/${f.userIds.get('delegate03') ?? ''}`)).status).toBe(204);
    const docId = await upload(secretary, f.meetingId, 'public');
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => (control.notices.some((n) => n.documentId === docId) ? resolve() : void setTimeout(check, 20));
        check();
      }),
      'control got the notice',
    );
    // The notice was emitted before the upload answered; an ack asked for afterwards arrives after it
    // on the same connection, so by now the removed member would have it.
    const ack = await removed.request('meeting:snapshot', { meetingId: f.meetingId });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('NOT_FOUND');
    expect(removed.notices.map((n) => n.documentId)).not.toContain(docId);
  });

  it('a join takes the membership read with its handshake only while nothing changed and for a second at most, and only once', async () => {
    const code = (a: Ack<object>): string => (a.ok ? 'ok' : a.error.code);
    const db = srv.server.ctx.db;
    await db.update(meetings).set({ status: 'in_progress' }).where(eq(meetings.id, f.meetingId));
    try {
      // These handshakes read the memberships in meetings in progress along with the session.
      const early = await live(srv.url, await session('delegate09'));
      const changed = await live(srv.url, await session('delegate10'));
      sockets.push(early, changed);
      expect(code(await early.request('meeting:join', { meetingId: f.meetingId }))).toBe('ok');
      for (const u of ['delegate09', 'delegate10']) {
        expect((await secretary.delete(`/api/meetings/${f.meetingId}/members/${f.userIds.get(u) ?? ''}`)).status).toBe(204);
      }
      // The handshake's read served one event: the next one reads again and finds the removal.
      expect(code(await early.request('meeting:snapshot', { meetingId: f.meetingId }))).toBe('NOT_FOUND');
      // The meeting changed (a REST request) since that handshake: its join reads again at once.
      expect(code(await changed.request('meeting:join', { meetingId: f.meetingId }))).toBe('NOT_FOUND');
      // A change this node sees no sign of (made straight in the database, as by another node)
      // voids the handshake's read once it is older than HANDSHAKE_FRESH_MS.
      const old = await live(srv.url, await session('delegate11'));
      sockets.push(old);
      await new Promise((r) => setTimeout(r, HANDSHAKE_FRESH_MS + 200));
      await db.delete(meetingMembers).where(and(eq(meetingMembers.meetingId, f.meetingId), eq(meetingMembers.userId, f.userIds.get('delegate11') ?? '')));
      expect(code(await old.request('meeting:join', { meetingId: f.meetingId }))).toBe('NOT_FOUND');
    } finally {
      await db.update(meetings).set({ status: 'published' }).where(eq(meetings.id, f.meetingId));
    }
  });

  it('a delegate made observer stops getting notices about internal documents', async () => {
    const demoted = await joined(await session('delegate05'));
    const control = await joined(await session('delegate06'));
    expect((await secretary.put(`/api/meetings/${f.meetingId}/members/${f.userIds.get('delegate05') ?? ''}`, { role: 'observer' })).status).toBe(200);
    const docId = await upload(secretary, f.meetingId, 'internal');
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => (control.notices.some((n) => n.documentId === docId) ? resolve() : void setTimeout(check, 20));
        check();
      }),
      'control got the notice',
    );
    expect((await demoted.request('meeting:snapshot', { meetingId: f.meetingId })).ok).toBe(true);
    expect(demoted.notices.map((n) => n.documentId)).not.toContain(docId);
  });
});

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;

// Several nodes need PostgreSQL (PGlite is one process) and Redis (the Streams adapter).
describe.skipIf(!REDIS_URL || !DATABASE_URL)('logout on one node closes the socket on another (REDIS_URL and DATABASE_URL required)', () => {
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-secnodes-'));
  let drop: (() => Promise<void>) | undefined;
  let socket: Live | undefined;

  afterAll(async () => {
    socket?.socket.close();
    for (const ch of children) {
      ch.kill('SIGTERM');
    }
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('closes a socket held by node B when node A ends its session', async () => {
    const fresh = await freshPostgresDatabase();
    drop = fresh.drop;
    const seeded = await createSeededServer({ dataDir, databaseUrl: fresh.url, seed: 'demo', port: 0, logLevel: 'warn' });
    await seeded.close();
    const database = await openDatabase({ databaseUrl: fresh.url });
    const f = await roomFixture(database.db, { delegates: 2 });
    const token = await f.token('delegate01');
    await database.close();
    const [a, b] = await Promise.all([spawnServer(dataDir, 0, fresh.url, REDIS_URL), spawnServer(dataDir, 0, fresh.url, REDIS_URL)]);
    children.push(a.child, b.child);
    socket = await live(b.url, token);
    expect((await socket.request('meeting:join', { meetingId: f.meetingId })).ok).toBe(true);
    expect((await new Api(a.url, token).post('/api/auth/logout')).status).toBe(204);
    expect(await within(socket.disconnected, 'socket on node B closed')).toBe('io server disconnect');
  }, 180_000);
});
