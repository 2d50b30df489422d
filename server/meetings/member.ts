import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import { perDatabase } from '../db/per-database';
import { meetingMembers, meetings, users } from '../db/schema';
import { notFound } from '../errors';
import type { MeetingRole } from '../../shared/roles';
import type { MeetingRow } from './access';

export interface Member {
  readonly userId: string;
  readonly displayName: string;
  readonly role: MeetingRole;
  readonly canRunRoom: boolean;
  readonly meeting: MeetingRow;
}

/**
 * The caller as a member of the meeting. Outsiders (admins included) get NOT_FOUND, like the REST
 * routes, so a socket cannot even learn that a meeting exists; drafts are hidden from non-staff.
 */
export async function loadMember(db: Executor, meetingId: string, userId: string): Promise<Member> {
  const m = (await loadMembers(db, meetingId, [userId])).get(userId);
  if (!m) {
    throw notFound('Meeting');
  }
  return m;
}

/**
 * Several users as members of one meeting, in one statement; the users loadMember would refuse
 * (not members, or a draft meeting for non-staff) are left out.
 */
export async function loadMembers(db: Executor, meetingId: string, userIds: readonly string[]): Promise<Map<string, Member>> {
  return toMembers(await membersFrom(db).where(and(eq(meetingMembers.meetingId, meetingId), inArray(meetingMembers.userId, [...userIds]))));
}

/** loadMembers as a prepared statement of `db` (server/db/per-database.ts): the room's hot path, every join and room event. */
export async function readMembers(db: Db, meetingId: string, userIds: readonly string[]): Promise<Map<string, Member>> {
  return toMembers(await membersRead(db).execute({ meetingId, userIds: [...userIds] }));
}

const membersRead = perDatabase((db) =>
  membersFrom(db)
    .where(and(eq(meetingMembers.meetingId, sql.placeholder('meetingId')), sql`${meetingMembers.userId} = any(${sql.placeholder('userIds')})`))
    .prepare('room_members_read'),
);

function membersFrom(db: Executor) {
  return db
    .select({ userId: meetingMembers.userId, meeting: meetings, role: meetingMembers.role, canRunRoom: meetingMembers.canRunRoom, displayName: users.displayName })
    .from(meetingMembers)
    .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .innerJoin(users, eq(users.id, meetingMembers.userId));
}

export type MemberRow = Awaited<ReturnType<typeof membersFrom>>[number];

/** Rows of the member columns as Members, without those loadMember would refuse (drafts for non-staff). */
export function toMembers(rows: readonly MemberRow[]): Map<string, Member> {
  const out = new Map<string, Member>();
  for (const row of rows) {
    if (row.meeting.status === 'draft' && row.role !== 'chair' && row.role !== 'secretary') {
      continue;
    }
    out.set(row.userId, { userId: row.userId, displayName: row.displayName, role: row.role, canRunRoom: row.canRunRoom, meeting: row.meeting });
  }
  return out;
}
