import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSeededServer } from '../../seeds/server';
import { openDatabase } from '../../server/db/client';
import { freshPostgresDatabase, storages } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import type { TallyUpdate } from '../../shared/room/events';
import { connectAs, ok, roomFixture, spawnServer, waitFor } from './room-helpers';

/**
 * A ballot is committed but its ack never reaches the voter: the ballot is sent without an ack
 * callback, and the server is killed (SIGKILL) once the commit is visible (the tally that follows
 * it). The client's retry with the same ballot id after the restart must get `duplicate: true`, and
 * the ballot must count once (docs/architecture.md "Guarantees of a vote").
 */
describe.each(storages())('a committed ballot whose ack was lost on %s', (storage) => {
  const children: ChildProcess[] = [];
  const clients: RoomClient[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-lostack-'));
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

  it('is retried after a server kill and answered duplicate: true, counted once (named and secret)', async () => {
    let databaseUrl: string | undefined;
    if (storage === 'postgres') {
      const fresh = await freshPostgresDatabase();
      databaseUrl = fresh.url;
      dropDb = fresh.drop;
      const s = await createSeededServer({ dataDir, databaseUrl, seed: 'demo', port: 0, logLevel: 'warn' });
      await s.close();
    } else {
      cpSync(inject('pgliteTemplateDemo'), dataDir, { recursive: true });
    }
    const database = await openDatabase({ databaseUrl, pgliteDir: join(dataDir, 'db') });
    const f = await roomFixture(database.db, { delegates: 2 });
    for (const u of ['chair', 'delegate01', 'delegate02']) {
      await f.token(u);
    }
    await database.close();

    let server = await spawnServer(dataDir, 0, databaseUrl);
    children.push(server.child);
    const port = Number(new URL(server.url).port);
    const chair = await connectAs(server.url, f, 'chair');
    const voter = await connectAs(server.url, f, 'delegate01');
    const other = await connectAs(server.url, f, 'delegate02');
    clients.push(chair, voter, other);
    for (const c of [chair, voter, other]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    for (const c of [chair, voter, other]) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }

    for (const secret of [false, true]) {
      const poll = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: secret ? 'Kín, mất ack' : 'Công khai, mất ack', kind: 'yes_no_abstain', secret })).poll;
      ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: poll.pollId }));
      const ballot = { meetingId: f.meetingId, pollId: poll.pollId, ballotId: randomUUID(), choice: ['no'] };
      // The tally after the commit is the sign that the ballot is on disk.
      const committed = waitFor<TallyUpdate>((l) => chair.on('poll:tally', l), (t) => t.pollId === poll.pollId && t.progress.voted === 1, 60_000);
      // No ack callback: whatever the server answers is lost.
      (voter.socket as unknown as { emit(ev: string, p: unknown): void }).emit('ballot:cast', ballot);
      await committed;
      // The chair's client re-joins by itself after the restart (a snapshot): the next poll's
      // tally must reach it.
      const chairBack = new Promise<void>((resolve) => {
        const off = chair.onSnapshot(() => {
          off();
          resolve();
        });
      });
      const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
      server.child.kill('SIGKILL');
      await exited;
      server = await spawnServer(dataDir, port, databaseUrl);
      children.push(server.child);

      // The voter's client retries the same ballot id; it waits for the reconnect by itself.
      const retry = ok(await voter.castBallot(ballot, { attemptTimeoutMs: 5000, deadlineMs: 90_000 }));
      expect(retry).toEqual({ ok: true, ballotId: ballot.ballotId, duplicate: true });
      // Another voter still votes normally on the restarted server.
      expect(ok(await other.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, choice: ['yes'] }, { deadlineMs: 90_000 })).duplicate).toBe(false);
      await chairBack;
      const closed = ok(await chair.request('poll:close', { meetingId: f.meetingId, pollId: poll.pollId })).poll;
      expect(closed.result?.cast).toBe(2);
      expect(closed.result?.counts).toEqual({ yes: 1, no: 1, abstain: 0 });
      if (!secret) {
        expect(closed.result?.named?.find((n) => n.userId === f.userIds.get('delegate01'))?.choice).toEqual(['no']);
      }
    }
  }, 300_000);
});
