import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDatabase } from '../db/per-database';
import { meetingMembers, meetings, sessions, users } from '../db/schema';
import { authUserOf, liveSessionsWhere, liveSessionValues, sessionUserColumns, type AuthUser } from '../auth/sessions';
import { toMembers, type Member, type MemberRow } from '../meetings/member';

/** A socket's session, and the user's memberships in the meetings in progress as read with it. */
export interface Handshake {
  readonly user: AuthUser;
  /** By meeting id; only meetings in progress (where a socket connects to vote or follow). */
  readonly live: ReadonlyMap<string, Member>;
}

/**
 * Every socket handshake in one statement, the session and its user's memberships together: a
 * delegate's connect then costs one read, not a session read at the handshake and a membership read
 * at the join a few milliseconds later (on PGlite each statement is ≈ 0.6–0.9 ms of the server's CPU,
 * most of a connect; docs/benchmarks.md "Votes"). The join uses the membership read here only while
 * it is fresh (MemberReads.get), otherwise it reads again.
 */
export async function readHandshakes(db: Db, hashes: readonly string[]): Promise<Map<string, Handshake>> {
  const rows = await handshakeRead(db).execute(liveSessionValues(hashes));
  const userOf = new Map<string, AuthUser>();
  const memberRows = new Map<string, MemberRow[]>();
  for (const r of rows) {
    const user = authUserOf(r);
    if (!user) {
      continue;
    }
    userOf.set(r.tokenHash, user);
    const list = memberRows.get(r.tokenHash) ?? [];
    memberRows.set(r.tokenHash, list);
    if (r.meeting && r.memberRole !== null && r.canRunRoom !== null) {
      list.push({ userId: r.id, meeting: r.meeting, role: r.memberRole, canRunRoom: r.canRunRoom, displayName: r.displayName });
    }
  }
  const out = new Map<string, Handshake>();
  for (const [hash, user] of userOf) {
    const live = new Map<string, Member>();
    for (const m of toMembers(memberRows.get(hash) ?? []).values()) {
      live.set(m.meeting.id, m);
    }
    out.set(hash, { user, live });
  }
  return out;
}

const handshakeRead = perDatabase((db) => {
  const live = db.select({ id: meetings.id }).from(meetings).where(eq(meetings.status, 'in_progress'));
  return db
    .select({
      ...sessionUserColumns,
      memberRole: meetingMembers.role,
      canRunRoom: meetingMembers.canRunRoom,
      meeting: meetings,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(meetingMembers, and(eq(meetingMembers.userId, users.id), sql`${meetingMembers.meetingId} in ${live}`))
    .leftJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .where(liveSessionsWhere())
    .prepare('room_handshake_read');
});
