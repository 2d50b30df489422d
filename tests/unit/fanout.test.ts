import { describe, expect, it } from 'vitest';
import { emitLocalSliced } from '../../server/room/fanout';
import type { RoomIo } from '../../server/room/io';

/** Just what emitLocalSliced touches of a Socket.IO server: the adapter's rooms and io.local. */
function fakeIo(room: string, ids: string[]): { io: RoomIo; sent: string[][] } {
  const sent: string[][] = [];
  const io = {
    of: () => ({ adapter: { rooms: new Map([[room, new Set(ids)]]) } }),
    local: { to: (to: string[]) => ({ emit: () => void sent.push(to) }) },
  };
  return { io: io as unknown as RoomIo, sent };
}

describe('emitLocalSliced', () => {
  const ids = Array.from({ length: 250 }, (_, i) => `s${i}`);

  it('sends in slices of the given size', async () => {
    const { io, sent } = fakeIo('m:1', ids);
    await emitLocalSliced(io, 'm:1', undefined, 'poll:tally', {} as never, { slice: 100 });
    expect(sent.map((s) => s.length)).toEqual([100, 100, 50]);
  });

  it('stops at the next slice once superseded', async () => {
    const { io, sent } = fakeIo('m:1', ids);
    let current = true;
    const done = emitLocalSliced(io, 'm:1', undefined, 'poll:tally', {} as never, { slice: 100, current: () => current });
    current = false;
    await done;
    expect(sent.map((s) => s.length)).toEqual([100]);
  });
});
