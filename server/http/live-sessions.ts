import type { Logger } from 'pino';
import type { MeetingRole } from '../../shared/roles';

/** What the live room does when REST changes who someone is (implemented by server/room/live-sessions.ts). */
export interface LiveSessionSink {
  /** Logout: the sockets opened with this session's token close. */
  sessionEnded(tokenHash: string): void;
  /** Password change: the user's sockets close, except those of `keepTokenHash`. */
  userSessionsEnded(userId: string, keepTokenHash?: string): void;
  /** Removed from a meeting: the user's sockets leave every room of it. */
  memberRemoved(meetingId: string, userId: string): void;
  /** New role in a meeting: the sockets that joined it move to the rooms of the new role. */
  memberRoleChanged(meetingId: string, userId: string, role: MeetingRole): void;
}

/**
 * Ends or re-scopes live sockets after logout, a password change, removal from a meeting and a role
 * change (docs/security.md "Server controls"): a socket is authenticated once, at its handshake. Like
 * DocumentNotices, the REST modules call it after their commit and never depend on the live room; the
 * room module attaches its sink at start. Never throws: the change is committed, and every socket
 * event still re-checks membership in the database.
 */
export class LiveSessions implements LiveSessionSink {
  private sink: LiveSessionSink | null = null;

  constructor(private readonly log: Logger) {}

  attach(sink: LiveSessionSink): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) {
        this.sink = null;
      }
    };
  }

  sessionEnded(tokenHash: string): void {
    this.run('sessionEnded', (s) => s.sessionEnded(tokenHash));
  }

  userSessionsEnded(userId: string, keepTokenHash?: string): void {
    this.run('userSessionsEnded', (s) => s.userSessionsEnded(userId, keepTokenHash));
  }

  memberRemoved(meetingId: string, userId: string): void {
    this.run('memberRemoved', (s) => s.memberRemoved(meetingId, userId));
  }

  memberRoleChanged(meetingId: string, userId: string, role: MeetingRole): void {
    this.run('memberRoleChanged', (s) => s.memberRoleChanged(meetingId, userId, role));
  }

  private run(what: string, f: (s: LiveSessionSink) => void): void {
    const sink = this.sink;
    if (!sink) {
      return;
    }
    try {
      f(sink);
    } catch (err) {
      this.log.warn({ err, what }, 'live session update not sent');
    }
  }
}
