import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createSeededServer } from '../../seeds/server';
import { openDatabase } from '../../server/db/client';
import { freshPostgresDatabase } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { PollView, TallyUpdate } from '../../shared/room/events';
import { connectAs, delegates, ok, roomFixture, spawnServer, waitFor } from './room-helpers';

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;

// Several nodes need PostgreSQL (PGlite is one process) and Redis (the Streams adapter).
describe.skipIf(!REDIS_URL || !DATABASE_URL)('two server processes on one PostgreSQL and Redis (REDIS_URL and DATABASE_URL required)', () => {
  const children: ChildProcess[] = [];
  const clients: RoomClient[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-nodes-'));
  let drop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    for (const ch of children) {
      ch.kill('SIGTERM');
    }
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('behaves as one room: chair on node A opens, delegates on node B vote, tallies agree', async () => {
    const fresh = await freshPostgresDatabase();
    drop = fresh.drop;
    const seeded = await createSeededServer({ dataDir, databaseUrl: fresh.url, seed: 'demo', port: 0, logLevel: 'warn' });
    await seeded.close();
    const database = await openDatabase({ databaseUrl: fresh.url });
    const f = await roomFixture(database.db, { delegates: 20 });
    const names = delegates(20);
    for (const u of ['chair', ...names]) {
      await f.token(u);
    }
    const secretaryToken = await f.token('secretary');
    await database.close();

    const [a, b] = await Promise.all([spawnServer(dataDir, 0, fresh.url, REDIS_URL), spawnServer(dataDir, 0, fresh.url, REDIS_URL)]);
    children.push(a.child, b.child);
    expect(a.url).not.toBe(b.url);
    const chair = await connectAs(a.url, f, 'chair');
    // Odd delegates on A, even ones on B.
    const voters = await Promise.all(names.map((u, i) => connectAs(i % 2 === 0 ? a.url : b.url, f, u)));
    clients.push(chair, ...voters);
    for (const c of [chair, ...voters]) {
      await c.join(f.meetingId);
    }
    const onB = voters[1] as RoomClient;
    // State changes made on one node reach clients of the other.
    const started = waitFor<{ status: string }>((l) => onB.on('meeting:state', l), (s) => s.status === 'in_progress');
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    await started;
    const seenOnA = waitFor<{ entry: { userId: string } }>((l) => chair.on('attendance:update', l), (u) => u.entry.userId === f.userIds.get('delegate02'));
    for (const c of voters) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
    await seenOnA;
    const poll = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Hai máy chủ', kind: 'yes_no_abstain' })).poll;
    const openOnB = waitFor<PollView>((l) => onB.on('poll:update', l), (p) => p.pollId === poll.pollId && p.status === 'open');
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: poll.pollId }));
    await openOnB;
    // delegate02 votes on B; their second device, on A, learns it (a peer's ballots:mine batch).
    const twin = await connectAs(a.url, f, names[1] ?? '');
    clients.push(twin);
    await twin.join(f.meetingId);
    const twinMine = waitFor<{ pollId: string; choice: string[] | null }>((l) => twin.on('ballot:mine', l), (m) => m.pollId === poll.pollId);
    // The chair on A sees the full progress of ballots cast on both nodes.
    const allOnA = waitFor<TallyUpdate>((l) => chair.on('poll:tally', l), (t) => t.pollId === poll.pollId && t.progress.voted === 20, 15_000);
    const acks = await Promise.all(voters.map((c, i) => c.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, choice: [i < 14 ? 'yes' : 'no'] })));
    expect(acks.every((r) => r.ok)).toBe(true);
    expect((await allOnA).counts).toEqual({ yes: 14, no: 6, abstain: 0 });
    expect((await twinMine).choice).toEqual(['yes']);
    const closedOnB = waitFor<PollView>((l) => onB.on('poll:update', l), (p) => p.pollId === poll.pollId && p.status === 'closed');
    const closed = ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: poll.pollId })).poll;
    expect(closed.result?.counts).toEqual({ yes: 14, no: 6, abstain: 0 });
    expect((await closedOnB).result?.counts).toEqual(closed.result?.counts);
    const snapB = await onB.snapshot(f.meetingId);
    expect(snapB.polls.find((p) => p.pollId === poll.pollId)?.result?.passed).toBe(true);

    // node B caches the open poll (it took ballots for it); the chair closes it on node A;
    // a late ballot on node B is still refused: the ballot transaction re-reads the status.
    const second = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Đóng ở máy A', kind: 'yes_no_abstain' })).poll;
    const secondOpenOnB = waitFor<PollView>((l) => onB.on('poll:update', l), (p) => p.pollId === second.pollId && p.status === 'open');
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: second.pollId }));
    await secondOpenOnB;
    const onBVoters = voters.filter((_, i) => i % 2 === 1);
    ok(await (onBVoters[0] as RoomClient).castBallot({ meetingId: f.meetingId, pollId: second.pollId, choice: ['yes'] }));
    ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: second.pollId }));
    const late = await (onBVoters[1] as RoomClient).castBallot({ meetingId: f.meetingId, pollId: second.pollId, choice: ['no'] });
    expect(late.ok ? 'ok' : late.error.code).toBe('POLL_CLOSED');

    // A member removed from the meeting while node B still caches them cannot vote.
    const third = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Thành viên bị bỏ', kind: 'yes_no_abstain' })).poll;
    const thirdOpenOnB = waitFor<PollView>((l) => onB.on('poll:update', l), (p) => p.pollId === third.pollId && p.status === 'open');
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: third.pollId }));
    await thirdOpenOnB;
    const removed = onBVoters[2] as RoomClient;
    ok(await removed.castBallot({ meetingId: f.meetingId, pollId: third.pollId, choice: ['abstain'] })); // cached now
    const again = await openDatabase({ databaseUrl: fresh.url });
    await again.db.execute(sql`delete from meeting_members where meeting_id = ${f.meetingId} and user_id = ${f.userIds.get(names[5] ?? '') ?? ''}`);
    await again.close();
    const fourth = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Sau khi bỏ', kind: 'yes_no_abstain' })).poll;
    ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: third.pollId }));
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: fourth.pollId, overrideQuorumReason: 'test' }));
    const refused = await removed.castBallot({ meetingId: f.meetingId, pollId: fourth.pollId, choice: ['yes'] });
    // FORBIDDEN from the ballot transaction (node B still caches the member), NOT_FOUND once it reloads.
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.ok ? 'ok' : refused.error.code);

    // A REST change on node A that no broadcast announces (an agenda item) shows in node B's next join
    // snapshot, not a cached one (B serves a cached shared part for up to 30 s unless A says it is stale).
    const title = 'Mục thêm ở máy A';
    expect((await onB.snapshot(f.meetingId)).agenda.some((i) => i.title === title)).toBe(false); // cached on B now
    const added = await fetch(`${a.url}/api/meetings/${f.meetingId}/agenda`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretaryToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, kind: 'report' }),
    });
    expect(added.status).toBe(201);
    let seenOnB = false;
    for (const until = Date.now() + 5_000; !seenOnB && Date.now() < until; ) {
      seenOnB = (await onB.snapshot(f.meetingId)).agenda.some((i) => i.title === title);
      if (!seenOnB) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(seenOnB).toBe(true);
  }, 180_000);
});
