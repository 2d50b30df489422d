import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MyBallotNotices } from '../../server/room/my-ballots';
import { rooms, type RoomIo } from '../../server/room/io';

/** Just what MyBallotNotices touches of a Socket.IO server: the adapter's rooms and io.local. */
function fakeIo(local: Map<string, Set<string>>): { io: RoomIo; sent: { to: string; body: unknown }[] } {
  const sent: { to: string; body: unknown }[] = [];
  const io = {
    of: () => ({ adapter: { rooms: local } }),
    local: { to: (to: string) => ({ emit: (_event: string, body: unknown) => void sent.push({ to, body }) }) },
  };
  return { io: io as unknown as RoomIo, sent };
}

describe('MyBallotNotices.receive (a peer batch of ballots:mine)', () => {
  const here = randomUUID();
  const elsewhere = randomUUID();
  const notice = (userId: string) => ({ meetingId: randomUUID(), userId, pollId: randomUUID(), ballotId: randomUUID(), choice: ['yes'] });

  const setup = () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const { io, sent } = fakeIo(new Map([[rooms.user(here), new Set(['socket-1'])]]));
    return { notices: new MyBallotNotices(io, true, log), sent, warnings };
  };

  it("tells this node's sockets of a voter, drops a malformed notice alone, and never reads the notices of voters with no socket here", () => {
    const { notices, sent, warnings } = setup();
    const good = notice(here);
    const { userId: _u, ...body } = good;
    notices.receive([
      [
        good,
        { ...notice(here), extra: true },
        { ...notice(here), pollId: 'not-a-uuid' },
        // Malformed too, but addressed to nobody on this node: skipped unread, no warning.
        { ...notice(elsewhere), pollId: 'not-a-uuid' },
        notice(elsewhere),
        // Names no voter: parsed, and refused.
        { pollId: randomUUID() },
      ],
    ]);
    expect(sent).toEqual([{ to: rooms.user(here), body }]);
    expect(warnings).toHaveLength(3);
  });

  it('ignores a batch that is not a list of notices', () => {
    const { notices, sent, warnings } = setup();
    notices.receive([{ not: 'a list' }]);
    notices.receive([Array.from({ length: 10_001 }, () => notice(here))]);
    expect(sent).toEqual([]);
    expect(warnings).toHaveLength(2);
  });
});
