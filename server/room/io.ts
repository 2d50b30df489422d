import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/room/events';

export type RoomIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Socket.IO rooms: everyone in a meeting, its staff (chair/secretary), its roster audience (everyone
 * but delegates: staff, observers, the hall display — they get full lists) and one user's own sockets.
 */
export const rooms = {
  meeting: (meetingId: string) => `m:${meetingId}`,
  staff: (meetingId: string) => `m:${meetingId}:staff`,
  roster: (meetingId: string) => `m:${meetingId}:roster`,
  user: (userId: string) => `u:${userId}`,
  /** One session's sockets (sha256 of its token): logout closes exactly these (live-sessions.ts). */
  session: (tokenHash: string) => `s:${tokenHash}`,
  /** One member's sockets joined to one meeting: removal and role changes re-scope exactly these. */
  member: (meetingId: string, userId: string) => `m:${meetingId}:u:${userId}`,
};
