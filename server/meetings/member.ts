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

/**
 * Memberships of (meeting, user) pairs, across meetings, in ONE prepared statement of `db`
 * (server/db/per-database.ts): the room's hot path, every join and room event. Keyed by
 * memberKey(meetingId, userId); the pairs loadMember would refuse are left out. One statement per
 * meeting made a round's 300 chairs' reads 300 statements at 10,000 delegates in 300 meetings
 * (docs/benchmarks.md "Live room, fourteenth round").
 */
export async function readMemberPairs(db: Db, pairs: readonly (readonly [meetingId: string, userId: string])[]): Promise<Map<string, Member>> {
  const rows = await memberPairsRead(db).execute({ meetingIds: pairs.map(([m]) => m), userIds: pairs.map(([, u]) => u) });
  return toMembers(rows, (m) => memberKey(m.meeting.id, m.userId));
}

export const memberKey = (meetingId: string, userId: string): string => `${meetingId} ${userId}`;

/** A memberKey back as its (meeting, user) pair. */
export function memberPairOf(key: string): [meetingId: string, userId: string] {
  const [meetingId = '', userId = ''] = key.split(' ');
  return [meetingId, userId];
}

/**
 * The statement of readMemberPairs, its parameters `meetingIds` and `userIds` (its plan is tested:
 * tests/integration/plan-cache.test.ts): the pairs as a relation, matched on meeting_members' primary
 * key (meeting_id, user_id).
 */
export function memberPairsQuery(db: Executor) {
  return membersFrom(db).where(
    sql`(${meetingMembers.meetingId}, ${meetingMembers.userId}) in (select * from unnest(${sql.placeholder('meetingIds')}::uuid[], ${sql.placeholder('userIds')}::uuid[]))`,
  );
}

const memberPairsRead = perDatabase((db) => memberPairsQuery(db).prepare('room_member_pairs_read'));

function membersFrom(db: Executor) {
  return db
    .select({ userId: meetingMembers.userId, meeting: meetings, role: meetingMembers.role, canRunRoom: meetingMembers.canRunRoom, displayName: users.displayName })
    .from(meetingMembers)
    .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
    .innerJoin(users, eq(users.id, meetingMembers.userId));
}

export type MemberRow = Awaited<ReturnType<typeof membersFrom>>[number];

/**
 * Rows of the member columns as Members, keyed by user (or by `keyOf`), without those loadMember would
 * refuse (drafts for non-staff).
 */
export function toMembers(rows: readonly MemberRow[], keyOf: (m: Member) => string = (m) => m.userId): Map<string, Member> {
  const out = new Map<string, Member>();
  for (const row of rows) {
    if (row.meeting.status === 'draft' && row.role !== 'chair' && row.role !== 'secretary') {
      continue;
    }
    const m: Member = { userId: row.userId, displayName: row.displayName, role: row.role, canRunRoom: row.canRunRoom, meeting: row.meeting };
    out.set(keyOf(m), m);
  }
  return out;
}
