import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { z } from 'zod';
import { hashToken } from '../auth/sessions';
import { readHandshakes, type Handshake } from './handshake-reads';
import { ReadBatch, STORM_GATHER_MS } from '../db/read-batch';
import type { AppContext } from '../http/context';
import type { Closable, ServerModule } from '../http/module';
import { closePoll } from '../polls/lifecycle';
import { PollCountdown } from '../polls/countdown';
import { BALLOT_GATHER_MS, BallotQueue } from '../polls/ballot-queue';
import { PollCache } from '../polls/poll-cache';
import { registerAttendanceHandlers } from './attendance-handlers';
import { registerBallotHandlers } from './ballot-handlers';
import { emitDocumentsChanged } from './document-notices';
import { broadcastPoll } from './broadcast';
import { MemberCache } from './member-cache';
import { MemberReads } from './member-reads';
import { registerMeetingHandlers } from './meeting-handlers';
import { registerPollDraftHandlers } from './poll-draft-handlers';
import { isOriginAllowed } from './origin';
import { liveSessionSink } from './live-sessions';
import { registerPollHandlers } from './poll-handlers';
import { registerPollPaperHandler } from './poll-paper-handler';
import { RoomEvents } from './handler';
import { registerSpeakerHandlers } from './speaker-handlers';
import { NOTICE_MAX, TallyBroadcaster } from './tally-broadcaster';
import { NewestFanouts } from './newest-fanouts';
import { SnapshotCache } from './snapshot-cache';
import { readOwnBallots } from './snapshot';
import { memberKey, memberPairOf } from '../meetings/member';
import type { MyBallot } from '../../shared/room/snapshot';
import { rooms, type RoomIo } from './io';
import { MyBallotNotices } from './my-ballots';
import type { RoomContext } from './types';

const HandshakeAuth = z.object({ token: z.string().min(20).max(200) });

/**
 * A peer's notice over Redis, parsed like any other input from outside this process: the (meeting id,
 * poll id) pairs with ballots it committed since its last one.
 */
const TallyDirty = z.tuple([z.array(z.tuple([z.uuid(), z.uuid()])).min(1).max(NOTICE_MAX)]);

/** Each server's join-snapshot cache: made with its routes (before Fastify is ready), used by the room. */
const snapshotCaches = new WeakMap<AppContext, SnapshotCache>();

function snapshotCacheOf(ctx: AppContext): SnapshotCache {
  let c = snapshotCaches.get(ctx);
  if (!c) {
    c = new SnapshotCache(ctx.db);
    snapshotCaches.set(ctx, c);
  }
  return c;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Live room over Socket.IO, attached to Fastify's HTTP server before it listens. */
export const roomModule: ServerModule = {
  name: 'room',
  routes(app, ctx) {
    const snapshots = snapshotCacheOf(ctx);
    // A REST change (agenda, members, users…) may show in a join snapshot: before its answer leaves,
    // joins stop getting snapshots read before it. Sign-in and sign-out change nothing shown there.
    app.addHook('onSend', async (req) => {
      if (!SAFE_METHODS.has(req.method) && !req.url.startsWith('/api/auth/')) {
        snapshots.changedByRequest();
      }
    });
  },
  start: startRoom,
};

async function startRoom(app: FastifyInstance, ctx: AppContext): Promise<Closable> {
  const io: RoomIo = new Server(app.server, {
    // Websocket-only clients need no sticky sessions across nodes (docs/architecture.md "Facts").
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: 256 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    serveClient: false,
    // Before any Socket.IO work: a foreign web page cannot open the room with a victim's browser.
    allowRequest: (req, callback) => {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      const allowed = isOriginAllowed(origin, req.headers.host, ctx.config.allowedOrigins);
      if (!allowed) {
        ctx.log.warn({ origin }, 'socket refused: origin not allowed');
      }
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
  });
  let redis: Redis | undefined;
  if (ctx.config.redisUrl) {
    // Redis Streams (not pub/sub): connection state recovery works across nodes; ioredis resubscribes.
    redis = new Redis(ctx.config.redisUrl, { maxRetriesPerRequest: null });
    io.adapter(createAdapter(redis));
  }

  const polls = new PollCache(ctx.db);
  const tally = new TallyBroadcaster(ctx.db, io, ctx.log, polls, redis !== undefined);
  const snapshots = snapshotCacheOf(ctx);
  // After io.adapter(): the hook must sit on the adapter that delivers broadcasts.
  snapshots.watch(io);
  if (redis) {
    snapshots.linkPeers(io);
  }
  tally.onFlush = (meetingId) => snapshots.invalidate(meetingId);
  const countdown = new PollCountdown(ctx.db, ctx.log);
  const ownBallots = new ReadBatch<string, MyBallot[]>((keys) => readOwnBallots(ctx.db, keys.map(memberPairOf)), { gatherMs: STORM_GATHER_MS });
  const rc: RoomContext = {
    app: ctx,
    io,
    peers: redis !== undefined,
    myBallots: new MyBallotNotices(io, redis !== undefined, ctx.log),
    tally,
    countdown,
    ballots: new BallotQueue(ctx.db, ctx.log, polls, { gatherMs: BALLOT_GATHER_MS }),
    polls,
    members: new MemberCache(ctx.db),
    memberReads: new MemberReads(ctx.db),
    ownBallots: async (m) => (await ownBallots.load(memberKey(m.meeting.id, m.userId))) ?? [],
    snapshots,
    pollFanouts: new NewestFanouts(),
    lifecycle: { closed: false },
  };

  // Every handshake reads its session from the database (no cache: a logout or password change
  // refuses the token at the next handshake on every node), with the user's memberships in meetings in
  // progress for the socket's join (handshake-reads.ts); those asked together share a statement (read-batch.ts),
  // and under a connect storm those asked within STORM_GATHER_MS of the last statement wait for it.
  const handshakes = new ReadBatch<string, Handshake>((hashes) => readHandshakes(ctx.db, hashes), { gatherMs: STORM_GATHER_MS });
  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) {
      next(authError('Send auth: { token } with a session token'));
      return;
    }
    const sessionId = hashToken(auth.data.token);
    // Taken before the read: a change to a meeting from here on voids its membership read below.
    const mark = snapshots.mark();
    handshakes.load(sessionId).then(
      (found) => {
        if (!found) {
          next(authError('Invalid or expired token'));
          return;
        }
        const { user, live } = found;
        socket.data = { userId: user.id, sessionId, username: user.username, displayName: user.displayName };
        rc.memberReads.prime(socket, live, (meetingId) => !snapshots.changedSince(meetingId, mark));
        next();
      },
      (err: unknown) => {
        ctx.log.error({ err }, 'socket auth failed');
        next(authError('Authentication failed'));
      },
    );
  });

  // Another node committed ballots: flush this node's sockets too (tallies are sent node-locally).
  io.on('tally:dirty', (...args: unknown[]) => {
    const parsed = TallyDirty.safeParse(args);
    if (!parsed.success) {
      ctx.log.warn({ issues: parsed.error.issues }, 'malformed tally:dirty from a peer ignored');
      return;
    }
    for (const [meetingId, pollId] of parsed.data[0]) {
      tally.schedule(meetingId, pollId, true);
    }
  });

  io.on('ballots:mine', (...args: unknown[]) => rc.myBallots.receive(args));

  // documents:changed from the REST modules goes out through this server, hence its adapter (all nodes).
  const detachNotices = ctx.documentNotices.attach((n) => emitDocumentsChanged(io, n));
  const detachSessions = ctx.liveSessions.attach(liveSessionSink(io));
  const detachMeetings = ctx.meetingNotices.attach((n) => {
    io.to(rooms.meeting(n.state.meetingId)).emit('meeting:state', n.state);
    io.to(rooms.meeting(n.state.meetingId)).emit('speakers:update', { meetingId: n.state.meetingId, speakers: [...n.speakers] });
  });

  // Once per server: every socket shares these handlers (handler.ts, RoomEvents).
  const events = new RoomEvents(rc);
  registerMeetingHandlers(rc, events);
  registerAttendanceHandlers(rc, events);
  registerSpeakerHandlers(rc, events);
  registerPollHandlers(rc, events);
  registerPollPaperHandler(rc, events);
  registerPollDraftHandlers(rc, events);
  registerBallotHandlers(rc, events);
  const onSocketError = (err: Error): void => ctx.log.warn({ err }, 'socket error');
  io.on('connection', (socket) => {
    if (!socket.recovered) {
      void socket.join([rooms.user(socket.data.userId), rooms.session(socket.data.sessionId)]);
    }
    events.attach(socket);
    socket.on('error', onSocketError);
  });

  countdown.start(async (meetingId, pollId) => {
    const p = (await closePoll(ctx.db, meetingId, pollId, null, true))?.row;
    if (p) {
      polls.put(p);
      tally.forget(p.id);
      await broadcastPoll(rc, ctx.db, p);
    }
  });

  return {
    async close() {
      rc.lifecycle.closed = true;
      detachNotices();
      detachSessions();
      detachMeetings();
      countdown.close();
      tally.close();
      // Not io.close(): it would close Fastify's HTTP server, which app.close() owns.
      io.disconnectSockets(true);
      io.engine.close();
      await io.of('/').adapter.close();
      if (redis) {
        await redis.quit().catch(() => undefined);
      }
    },
  };
}

function authError(message: string): Error & { data: { code: string; message: string } } {
  const err = new Error('UNAUTHENTICATED') as Error & { data: { code: string; message: string } };
  err.data = { code: 'UNAUTHENTICATED', message };
  return err;
}
