import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { RoomClient } from '../../shared/room/client';
import { connectAs, delegates, errCode, ok, roomFixture, type RoomFixture } from './room-helpers';

/**
 * The chair closes a vote while a burst of ballots is still in flight (docs/architecture.md
 * "Guarantees of a vote"): a ballot is acked only once committed, and the close and the ballot
 * transactions are serialized on the poll row, so the result counts exactly the acked ballots.
 */
describe.each(storages())('closing a poll during a ballot burst on %s', (storage) => {
  let srv: TestServer;
  let f: RoomFixture;
  let chair: RoomClient;
  let voters: RoomClient[] = [];
  const names = delegates(30);

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    f = await roomFixture(srv.server.ctx.db);
    chair = await connectAs(srv.url, f, 'chair');
    voters = await Promise.all(names.map((u) => connectAs(srv.url, f, u)));
    for (const c of [chair, ...voters]) {
      await c.join(f.meetingId);
    }
    ok(await chair.request('meeting:start', { meetingId: f.meetingId }));
    for (const c of voters) {
      ok(await c.request('attendance:checkIn', { meetingId: f.meetingId }));
    }
  });
  afterAll(async () => {
    for (const c of [chair, ...voters]) {
      c.close();
    }
    await srv?.close();
  });

  it.each([
    ['named', false],
    ['secret', true],
  ] as const)('%s poll: every acked ballot counted, none acked after the close, tally = acked ballots', async (kind, secret) => {
    const poll = ok(await chair.request('poll:create', { meetingId: f.meetingId, title: `Đóng giữa lúc bỏ phiếu (${kind})`, kind: 'yes_no_abstain', secret })).poll;
    ok(await chair.request('poll:open', { meetingId: f.meetingId, pollId: poll.pollId }));

    // The first 25 vote at once; the chair closes as soon as 8 of them are acked, the rest still in flight.
    const burst = voters.slice(0, 25);
    const late = voters.slice(25);
    const choiceOf = (i: number): 'yes' | 'no' => (i % 3 === 0 ? 'no' : 'yes');
    const acked = new Map<number, 'yes' | 'no'>();
    const refused: (string | undefined)[] = [];
    let eighthAck: () => void = () => undefined;
    const closing = new Promise<void>((resolve) => {
      eighthAck = resolve;
    }).then(() => chair.request('poll:close', { meetingId: f.meetingId, pollId: poll.pollId }));
    const casts = burst.map((c, i) =>
      c.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, choice: [choiceOf(i)] }).then((res) => {
        if (!res.ok) {
          refused.push(errCode(res));
          return;
        }
        acked.set(i, choiceOf(i));
        if (acked.size === 8) {
          eighthAck();
        }
      }),
    );
    await Promise.all(casts);
    eighthAck(); // no-op when it already happened; lets a failing run end on the assertions below
    const closed = ok(await closing).poll;

    // Ballots sent once the close is acked: every one refused, none acked.
    const after = await Promise.all(late.map((c) => c.castBallot({ meetingId: f.meetingId, pollId: poll.pollId, choice: ['yes'] })));
    for (const res of after) {
      expect(res.ok).toBe(false);
      expect(errCode(res)).toBe('POLL_CLOSED');
    }
    expect(acked.size).toBeGreaterThanOrEqual(8);
    expect(acked.size + refused.length).toBe(burst.length);
    // Anything refused in the burst was refused because the poll had closed.
    expect(refused.every((code) => code === 'POLL_CLOSED')).toBe(true);

    const result = closed.result;
    const yes = [...acked.values()].filter((c) => c === 'yes').length;
    expect(result?.counts).toMatchObject({ yes, no: acked.size - yes, abstain: 0 });
    if (!secret) {
      const counted = new Set((result?.named ?? []).map((n) => n.userId));
      const ackedIds = new Set([...acked.keys()].map((i) => f.userIds.get(names[i] ?? '')));
      expect(counted).toEqual(ackedIds);
    }
    // The stored truth agrees with what the close announced.
    const again = ok(await chair.request('poll:result', { meetingId: f.meetingId, pollId: poll.pollId })).poll;
    expect(again.result?.counts).toEqual(result?.counts);
  });
});
