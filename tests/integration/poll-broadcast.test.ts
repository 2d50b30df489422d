import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedBallots } from '../../server/db/schema';
import { PollCache } from '../../server/polls/poll-cache';
import type { PollRow } from '../../server/polls/tally';
import type { TallyUpdate } from '../../shared/room/events';
import { broadcastPoll } from '../../server/room/broadcast';
import { rooms, type RoomIo } from '../../server/room/io';
import { NewestFanouts } from '../../server/room/newest-fanouts';
import { SnapshotCache } from '../../server/room/snapshot-cache';
import { TallyBroadcaster } from '../../server/room/tally-broadcaster';
import { startServer, type TestServer } from '../helpers/server';
import { insertPoll, roomFixture, type RoomFixture } from './room-helpers';

const SOCKETS = 250;

/**
 * broadcastPoll slices an open poll's fan-out on a single node (acks are written between slices).
 * poll:update carries the whole state, so a newer broadcast of the same poll must stop an older one
 * still slicing: no socket may get "open" after "closed". Real Socket.IO server and clients, real
 * database for the views; more sockets than one slice holds. PGlite only: nothing here depends on
 * the storage, and the views are the same on both. The same sockets take the tally broadcaster's
 * flush that completes a vote.
 */
describe('poll and tally broadcasts to a meeting\'s sockets', () => {
  let srv: TestServer;
  let f: RoomFixture;
  let http: HttpServer;
  let io: RoomIo;
  const clients: Socket[] = [];
  const seen: { status: string }[][] = [];

  const rc = (): Parameters<typeof broadcastPoll>[0] => ({
    io,
    peers: false,
    snapshots: new SnapshotCache(srv.server.ctx.db),
    pollFanouts: new NewestFanouts(),
    lifecycle: { closed: false },
  });
  const newPoll = (status: 'open' | 'closed'): Promise<PollRow> => insertPoll(srv.server.ctx.db, f.meetingId, { status });
  const until = async (done: () => boolean, ms = 20_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeAll(async () => {
    srv = await startServer({ storage: 'pglite', seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db, { delegates: 2 });
    http = createServer();
    io = new Server(http) as RoomIo;
    io.on('connection', (s) => {
      void s.join(rooms.meeting(f.meetingId));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as AddressInfo;
    for (let i = 0; i < SOCKETS; i++) {
      const got: { status: string }[] = [];
      seen.push(got);
      const c = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
      c.on('poll:update', (v: { status: string }) => got.push({ status: v.status }));
      clients.push(c);
    }
    await until(() => clients.every((c) => c.connected));
    await until(() => (io.of('/').adapter.rooms.get(rooms.meeting(f.meetingId))?.size ?? 0) === SOCKETS);
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    await io?.close();
    await srv.close();
  });

  it('reaches every socket of the meeting with an open poll', async () => {
    const p = await newPoll('open');
    const ctx = rc();
    await broadcastPoll(ctx, srv.server.ctx.db, p);
    await until(() => seen.every((s) => s.length === 1));
    expect(seen.map((s) => s.map((u) => u.status).join())).toEqual(Array.from({ length: SOCKETS }, () => 'open'));
    // Nothing is kept for a fan-out that is over.
    expect(ctx.pollFanouts.size).toBe(0);
  });

  it('stops an older fan-out of the same poll once a newer state goes out: nobody gets open after closed', async () => {
    for (const s of seen) {
      s.length = 0;
    }
    const p = await newPoll('open');
    const ctx = rc();
    const opening = broadcastPoll(ctx, srv.server.ctx.db, p);
    const closing = broadcastPoll(ctx, srv.server.ctx.db, { ...p, status: 'closed', closedAt: new Date() });
    await Promise.all([opening, closing]);
    await until(() => seen.every((s) => s.at(-1)?.status === 'closed'));
    const lastOf = seen.map((s) => s.at(-1)?.status);
    expect(lastOf).toEqual(Array.from({ length: SOCKETS }, () => 'closed'));
    // The older fan-out really was cut short: some sockets never got "open".
    expect(seen.filter((s) => s.length === 1).length).toBeGreaterThan(0);
    expect(ctx.pollFanouts.size).toBe(0);
  });

  it('sends the tally that completes the vote to the delegates at once, without waiting for a pause', async () => {
    const db = srv.server.ctx.db;
    const p = await newPoll('open');
    // Interval, pause and delegates' period all 30 s: only the vote's completion can reach the
    // delegates within this test's wait.
    const tally = new TallyBroadcaster(db, io, srv.server.ctx.log, new PollCache(db), false, 30_000, 2_000, 30_000, 30_000, 30_000);
    // One socket is staff (roster room): it sees every flush, so the test knows when the first one ran.
    const [staffSocket] = io.of('/').sockets.values();
    await staffSocket?.join(rooms.roster(f.meetingId));
    const got: TallyUpdate[][] = clients.map(() => []);
    const offs = clients.map((c, i) => {
      const l = (t: TallyUpdate): void => {
        if (t.pollId === p.id) {
          got[i]?.push(t);
        }
      };
      c.on('poll:tally', l);
      return () => c.off('poll:tally', l);
    });
    try {
      // Voting members: the chair and delegate01…02.
      const voters = ['chair', 'delegate01', 'delegate02'].map((u) => f.userIds.get(u) ?? '');
      const cast = async (voterId: string): Promise<void> => {
        await db.insert(namedBallots).values({ id: randomUUID(), pollId: p.id, voterId, choice: '["yes"]' });
        tally.received(p.id);
        tally.committed(f.meetingId, p.id, voterId);
      };
      await cast(voters[0] ?? '');
      await until(() => got.some((g) => g.some((t) => t.progress.voted === 1)));
      // The first flush went to staff only: one of three voted, ballots still coming.
      expect(got.filter((g) => g.length > 0)).toHaveLength(1);
      await cast(voters[1] ?? '');
      // The same voter again (a changed ballot): still two distinct voters, nothing sent.
      tally.committed(f.meetingId, p.id, voters[1] ?? '');
      await cast(voters[2] ?? '');
      await until(() => got.every((g) => g.some((t) => t.progress.voted === 3)), 10_000);
      expect(got.map((g) => g.at(-1)?.progress)).toEqual(clients.map(() => ({ voted: 3, eligible: 3 })));
      expect(got.map((g) => g.at(-1)?.counts)).toEqual(clients.map(() => ({ yes: 3, no: 0, abstain: 0 })));
    } finally {
      offs.forEach((off) => off());
      tally.close();
      await staffSocket?.leave(rooms.roster(f.meetingId));
    }
  });
});
