import { execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSeededServer } from '../../seeds/server';
import { openDatabase } from '../../server/db/client';
import { freshPostgresDatabase, storages } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { RoomSnapshot } from '../../shared/room/snapshot';
import { connectAs, delegates, NODE_TSX, ok, roomFixture, spawnServer } from './room-helpers';

describe.each(storages())('room survives SIGKILL mid-vote on %s', (storage) => {
  const children: ChildProcess[] = [];
  const clients: RoomClient[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-kill-'));
  let dropDb: (() => Promise<void>) | undefined;

  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    for (const ch of children) {
      ch.kill('SIGKILL');
    }
    await dropDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acked ballot; clients resync and finish; tally equals the acked ballots', async () => {
    let databaseUrl: string | undefined;
    if (storage === 'postgres') {
      const fresh = await freshPostgresDatabase();
      databaseUrl = fresh.url;
      dropDb = fresh.drop;
    } else {
      cpSync(inject('pgliteTemplateDemo'), dataDir, { recursive: true });
    }
    // Prepare the meeting and sessions with the database, then hand the data to the real server.
    if (storage === 'postgres') {
      // Migrate and seed the fresh database the way the server does.
      const s = await createSeededServer({ dataDir, databaseUrl, seed: 'demo', port: 0, logLevel: 'warn' });
      await s.close();
    }
    const database = await openDatabase({ databaseUrl, pgliteDir: join(dataDir, 'db') });
    const f = await roomFixture(database.db);
    const names = delegates(30);
    for (const u of ['chair', ...names]) {
      await f.token(u);
    }
    await database.close();

    const first = await spawnServer(dataDir, 0, databaseUrl);
    children.push(first.child);
    const url = first.url;
    const port = Number(new URL(url).port);
    const chair = await connectAs(url, f, 'chair');
    const voters = await Promise.all(names.map((u) => connectAs(url, f, u)));
    clients.push(chair, ...voters);
    for (const c of [chair, ...voters]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    for (const c of voters) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
    const poll = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: 'Biểu quyết giữa sự cố', kind: 'yes_no_abstain' })).poll;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: poll.pollId }));

    // Everyone votes; after the 10th ack the server is killed with SIGKILL.
    // Any snapshot from now on comes from the automatic re-join after the restart.
    const resynced = new Promise<RoomSnapshot>((resolve) => {
      voters.at(-1)?.onSnapshot((s) => {
        if (s.openPoll?.pollId === poll.pollId) {
          resolve(s);
        }
      });
    });
    const ackedBeforeKill = new Set<string>();
    let killed = false;
    const choices = voters.map((_, i) => (i % 3 === 0 ? 'no' : 'yes'));
    const casts = voters.map((c, i) =>
      c.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, choice: [choices[i] ?? 'yes'] }, { attemptTimeoutMs: 3000, deadlineMs: 90_000 }).then((res) => {
        if (res.ok && !killed) {
          ackedBeforeKill.add(names[i] ?? '');
          if (ackedBeforeKill.size === 10) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
        return res;
      }),
    );
    await new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    expect(ackedBeforeKill.size).toBeGreaterThanOrEqual(10);

    const second = await spawnServer(dataDir, port, databaseUrl);
    children.push(second.child);
    const results = await Promise.all(casts);
    expect(results.every((r) => r.ok)).toBe(true);
    // The clients re-joined by themselves and got a snapshot with the open poll.
    expect((await resynced).openPoll?.status).toBe('open');
    const closed = ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: poll.pollId })).poll;
    const yes = choices.filter((c) => c === 'yes').length;
    expect(closed.result?.counts).toEqual({ yes, no: 30 - yes, abstain: 0 });
    expect(closed.result?.cast).toBe(30);
    // Every ballot acked before the kill is there with its choice.
    for (const u of ackedBeforeKill) {
      const id = f.userIds.get(u);
      const i = names.indexOf(u);
      expect(closed.result?.named?.find((n) => n.userId === id)?.choice).toEqual([choices[i]]);
    }
    second.child.kill('SIGTERM');
    await new Promise<void>((resolve) => second.child.once('exit', () => resolve()));
    // The audit chain is intact after the crash (checked by the real CLI).
    const { stdout } = await promisify(execFile)(NODE_TSX[0], [NODE_TSX[1], NODE_TSX[2], 'server/cli/main.ts', 'audit', 'verify', '--data', dataDir, '--json'], {
      env: { ...process.env, DATABASE_URL: databaseUrl ?? '' },
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ ok: true });
  }, 180_000);
});
