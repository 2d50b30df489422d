import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/client';
import { PollCache } from '../../server/polls/poll-cache';
import { startServer, type TestServer } from '../helpers/server';
import { insertPoll, roomFixture, type RoomFixture } from './room-helpers';

/**
 * The node's cache of open polls: misses of different polls asked together share one statement, and
 * what a miss answers is what a read of its own would (the poll under its own meeting only, an open
 * poll kept, any other answered and not kept). PGlite only: the statement is the same on both.
 */
describe('PollCache', () => {
  let srv: TestServer;
  let f: RoomFixture;
  let selects = 0;
  /** The real database, counting the statements built with `select`. */
  let counted: Db;

  beforeAll(async () => {
    srv = await startServer({ seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    const db = srv.server.ctx.db;
    counted = new Proxy(db, {
      get(target, key, receiver) {
        const v: unknown = Reflect.get(target, key, receiver);
        if (key === 'select' && typeof v === 'function') {
          return (...args: unknown[]) => {
            selects += 1;
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('reads the misses of a storm together and answers each as its own read would', async () => {
    const db = srv.server.ctx.db;
    const open = await Promise.all([1, 2, 3, 4].map(() => insertPoll(db, f.meetingId)));
    const closed = await insertPoll(db, f.meetingId, { status: 'closed' });
    const cache = new PollCache(counted);
    selects = 0;
    const got = await Promise.all([
      ...open.map((p) => cache.get(f.meetingId, p.id)),
      cache.get(f.meetingId, closed.id),
      cache.get(f.meetingId, randomUUID()),
      // A poll asked under another meeting: not found there.
      cache.get(randomUUID(), open[0]?.id ?? ''),
    ]);
    expect(got.slice(0, 4)).toEqual(open);
    expect(got[4]).toEqual(closed);
    expect(got.slice(5)).toEqual([undefined, undefined]);
    // One statement for every miss, the ask under another meeting included.
    expect(selects).toBe(1);
    // The open ones are kept, the closed one is not.
    selects = 0;
    expect(await Promise.all(open.map((p) => cache.get(f.meetingId, p.id)))).toEqual(open);
    expect(selects).toBe(0);
    expect(await cache.get(f.meetingId, closed.id)).toEqual(closed);
    expect(selects).toBe(1);
  });
});
