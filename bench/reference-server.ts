// The naive reference for `npm run bench:votes -- --reference`: the voting server somebody writes in an
// hour. One Node process, Socket.IO, the same storage (PGlite on disk or PostgreSQL), ONE INSERT with a
// UNIQUE key per ballot, ack after commit, the tally re-counted and sent to the room at most every
// 50 ms. No audit chain, no secret ballots, no group commit, no permission table, no snapshot beyond
// what the bench clients read. It speaks just enough of docs/protocol.md for bench/lib's clients
// (shared/room/client.ts), so both servers are measured by the same clients in the same run.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Server } from 'socket.io';
import { z } from 'zod';

const Tokens = z.record(z.string(), z.object({ userId: z.string(), meetingId: z.string(), role: z.enum(['chair', 'delegate']) }));
type Who = z.infer<typeof Tokens>[string];

const { values } = parseArgs({ options: { tokens: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' } }, strict: true });
if (!values.tokens) {
  throw new Error('--tokens FILE is required');
}
const tokens = Tokens.parse(JSON.parse(readFileSync(values.tokens, 'utf8')));
const eligible = new Map<string, number>();
for (const w of Object.values(tokens)) {
  eligible.set(w.meetingId, (eligible.get(w.meetingId) ?? 0) + 1);
}

interface Sql {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

async function openSql(): Promise<Sql> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return { query: async (t, p) => ({ rows: (await pool.query(t, p)).rows as Record<string, unknown>[] }) };
  }
  if (!values.data) {
    throw new Error('--data DIR (PGlite) or DATABASE_URL is required');
  }
  const db = await PGlite.create(values.data);
  return { query: async (t, p) => ({ rows: (await db.query<Record<string, unknown>>(t, p)).rows }) };
}

const sql = await openSql();
await sql.query(`create table if not exists ref_polls (id text primary key, meeting_id text not null, status text not null)`);
await sql.query(
  `create table if not exists ref_ballots (poll_id text not null, user_id text not null, ballot_id text not null, choice text not null, unique (poll_id, user_id))`,
);

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 256 * 1024 });
io.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: unknown }).token;
  const who = typeof token === 'string' ? tokens[token] : undefined;
  if (!who) {
    next(new Error('UNAUTHENTICATED'));
    return;
  }
  (socket.data as { who: Who }).who = who;
  next();
});

type AckFn = (res: unknown) => void;
const fail = (code: string): { ok: false; error: { code: string; message: string } } => ({ ok: false, error: { code, message: code } });

/** Open polls, in memory: the ballot path is the one INSERT. */
const openPolls = new Set<string>();
const lastTally = new Map<string, number>();
const pendingTally = new Set<string>();

async function counts(pollId: string): Promise<{ counts: Record<string, number>; voted: number }> {
  const { rows } = await sql.query('select choice, count(*)::int as n from ref_ballots where poll_id = $1 group by choice', [pollId]);
  const c: Record<string, number> = { yes: 0, no: 0, abstain: 0 };
  let voted = 0;
  for (const r of rows) {
    c[String(r.choice)] = Number(r.n);
    voted += Number(r.n);
  }
  return { counts: c, voted };
}

function view(pollId: string, meetingId: string, status: string, voted: number, c: Record<string, number> | null, named?: { userId: string; displayName: string; choice: string[] }[]) {
  return {
    pollId,
    meetingId,
    status,
    progress: { voted, eligible: eligible.get(meetingId) ?? 0 },
    counts: c,
    result: named && c ? { counts: c, named, notVoted: [], cast: voted } : null,
  };
}

function scheduleTally(meetingId: string, pollId: string): void {
  if (pendingTally.has(pollId)) {
    return;
  }
  pendingTally.add(pollId);
  const wait = Math.max(0, (lastTally.get(pollId) ?? 0) + 50 - Date.now());
  setTimeout(() => {
    pendingTally.delete(pollId);
    lastTally.set(pollId, Date.now());
    void counts(pollId).then(({ counts: c, voted }) => {
      io.to(meetingId).emit('poll:tally', { meetingId, pollId, progress: { voted, eligible: eligible.get(meetingId) ?? 0 }, counts: c });
    });
  }, wait);
}

io.on('connection', (socket) => {
  const who = (socket.data as { who: Who }).who;
  const on = (event: string, fn: (p: Record<string, unknown>) => Promise<unknown>): void => {
    socket.on(event, (payload: unknown, ack: unknown) => {
      const reply: AckFn = typeof ack === 'function' ? (ack as AckFn) : () => undefined;
      if (typeof payload !== 'object' || payload === null) {
        reply(fail('VALIDATION_ERROR'));
        return;
      }
      fn(payload as Record<string, unknown>).then(reply, () => reply(fail('INTERNAL')));
    });
  };
  on('meeting:join', async (p) => {
    if (p.meetingId !== who.meetingId) {
      return fail('NOT_FOUND');
    }
    await socket.join(who.meetingId);
    return { ok: true, snapshot: { meeting: { meetingId: who.meetingId }, polls: [], openPoll: null, myBallots: [] } };
  });
  on('poll:create', async () => {
    const id = randomUUID();
    await sql.query(`insert into ref_polls (id, meeting_id, status) values ($1, $2, 'draft')`, [id, who.meetingId]);
    return { ok: true, poll: view(id, who.meetingId, 'draft', 0, null) };
  });
  on('poll:open', async (p) => {
    await sql.query(`update ref_polls set status = 'open' where id = $1`, [p.pollId]);
    openPolls.add(String(p.pollId));
    const v = view(String(p.pollId), who.meetingId, 'open', 0, { yes: 0, no: 0, abstain: 0 });
    io.to(who.meetingId).emit('poll:update', v);
    return { ok: true, poll: v };
  });
  on('poll:close', async (p) => {
    const pollId = String(p.pollId);
    openPolls.delete(pollId);
    await sql.query(`update ref_polls set status = 'closed' where id = $1`, [pollId]);
    const { counts: c, voted } = await counts(pollId);
    const { rows } = await sql.query('select user_id, choice from ref_ballots where poll_id = $1', [pollId]);
    const named = rows.map((r) => ({ userId: String(r.user_id), displayName: '', choice: [String(r.choice)] }));
    const v = view(pollId, who.meetingId, 'closed', voted, c, named);
    io.to(who.meetingId).emit('poll:update', v);
    return { ok: true, poll: v };
  });
  on('ballot:cast', async (p) => {
    if (!openPolls.has(String(p.pollId))) {
      return fail('POLL_CLOSED');
    }
    const choice = Array.isArray(p.choice) ? String(p.choice[0]) : '';
    const ins = await sql.query(
      'insert into ref_ballots (poll_id, user_id, ballot_id, choice) values ($1, $2, $3, $4) on conflict (poll_id, user_id) do nothing returning ballot_id',
      [p.pollId, who.userId, p.ballotId, choice],
    );
    if (ins.rows.length === 0) {
      const { rows } = await sql.query('select ballot_id from ref_ballots where poll_id = $1 and user_id = $2', [p.pollId, who.userId]);
      return rows[0]?.ballot_id === p.ballotId ? { ok: true, ballotId: p.ballotId, duplicate: true } : fail('ALREADY_VOTED');
    }
    scheduleTally(who.meetingId, String(p.pollId));
    return { ok: true, ballotId: p.ballotId, duplicate: false };
  });
});

http.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const a = http.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  process.stdout.write(`E-Cabinet server listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
