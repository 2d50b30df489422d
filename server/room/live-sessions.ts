import type { LiveSessionSink } from '../http/live-sessions';
import { rooms, type RoomIo } from './io';

/**
 * The live room's side of LiveSessions (server/http/live-sessions.ts). Every call goes through
 * `io.in(room)` — disconnectSockets / socketsLeave / socketsJoin — which the Redis adapter carries to
 * every node. Each socket joins `rooms.session` and `rooms.user` at connection and `rooms.member` when
 * it joins a meeting (module.ts, meeting-handlers.ts).
 */
export function liveSessionSink(io: RoomIo): LiveSessionSink {
  return {
    sessionEnded(tokenHash) {
      io.in(rooms.session(tokenHash)).disconnectSockets(true);
    },
    userSessionsEnded(userId, keepTokenHash) {
      const target = io.in(rooms.user(userId));
      (keepTokenHash ? target.except(rooms.session(keepTokenHash)) : target).disconnectSockets(true);
    },
    memberRemoved(meetingId, userId) {
      io.in(rooms.member(meetingId, userId)).socketsLeave([rooms.meeting(meetingId), rooms.staff(meetingId), rooms.roster(meetingId), rooms.member(meetingId, userId)]);
    },
    // A demoted chair stops getting staff events; a delegate turned observer joins the roster and so
    // stops getting notices about internal documents (members.ts isStaff / seesRoster).
    memberRoleChanged(meetingId, userId, role) {
      const mine = io.in(rooms.member(meetingId, userId));
      mine.socketsLeave([rooms.staff(meetingId), rooms.roster(meetingId)]);
      const join: string[] = [];
      if (role === 'chair' || role === 'secretary') {
        join.push(rooms.staff(meetingId));
      }
      if (role !== 'delegate') {
        join.push(rooms.roster(meetingId));
      }
      if (join.length > 0) {
        mine.socketsJoin(join);
      }
    },
  };
}
