import type { ServerToClientEvents } from '../../shared/room/events';
import type { RoomIo } from './io';

/** Sockets per slice of a fan-out: ≈ 100 × 10–25 µs per websocket write, a few ms per slice. */
export const SLICE = 100;

export interface FanoutOptions {
  /** Sockets per slice (default SLICE). */
  readonly slice?: number;
  /** Checked before each slice: false stops the fan-out (a newer message superseded this one). */
  readonly current?: () => boolean;
}

/**
 * Sends one event to THIS node's sockets in a room, a slice at a time, yielding to the event loop
 * between slices. One `io.to(room).emit` to 1,000 sockets is ≈ 10–25 ms of synchronous
 * websocket writes, and ballots acked meanwhile wait behind it; sliced, an ack waits for one slice at
 * most. Each slice is encoded once (Socket.IO pre-encodes a broadcast). Only this node's sockets:
 * every node fans out to its own clients (TallyBroadcaster tells the others to flush).
 */
export async function emitLocalSliced<E extends keyof ServerToClientEvents>(
  io: RoomIo,
  room: string,
  except: string | undefined,
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
  opts: FanoutOptions = {},
): Promise<void> {
  const rooms = io.of('/').adapter.rooms;
  const members = rooms.get(room);
  if (!members || members.size === 0) {
    return;
  }
  const skip = except ? rooms.get(except) : undefined;
  const ids = skip ? [...members].filter((id) => !skip.has(id)) : [...members];
  // The event name is generic here; the payload type above keeps callers exact.
  const local = io.local as unknown as { to(rooms: string[]): { emit(ev: string, p: unknown): void } };
  const slice = opts.slice ?? SLICE;
  for (let i = 0; i < ids.length; i += slice) {
    if (i > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (opts.current && !opts.current()) {
      return;
    }
    local.to(ids.slice(i, i + slice)).emit(event, payload);
  }
}
