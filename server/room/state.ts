import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems, speakerRequests, users } from '../db/schema';
import { quorum } from '../../shared/domain/quorum';
import type { AgendaItemView, AttendanceEntry, MeetingState, QuorumView, SpeakerView } from '../../shared/room/snapshot';
import type { MeetingRow } from '../meetings/access';

/** Read models of the room, always rebuilt from the database (nothing lives only in memory). */

// Attendance is the meetings domain's record (exports read it too); the room re-exports it.
export { attendanceOf } from '../meetings/attendance';

export function meetingState(m: MeetingRow): MeetingState {
  return { meetingId: m.id, title: m.title, status: m.status, paused: m.paused, currentItemId: m.currentItemId };
}

export async function agendaOf(db: Executor, meetingId: string): Promise<AgendaItemView[]> {
  const rows = await db
    .select({ id: agendaItems.id, parentId: agendaItems.parentId, position: agendaItems.position, title: agendaItems.title, kind: agendaItems.kind })
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, meetingId))
    .orderBy(asc(agendaItems.position));
  return rows;
}


/** Quorum counts voting members only (chair and delegates), docs/architecture.md "Defaults". */
export function quorumOf(entries: readonly AttendanceEntry[], m: MeetingRow): QuorumView {
  const voting = entries.filter((e) => e.role === 'chair' || e.role === 'delegate');
  return quorum(voting.filter((e) => e.present).length, voting.length, { num: m.quorumNum, den: m.quorumDen });
}

/** The visible queue: the current speaker first, then waiting requests by position. */
export async function speakersOf(db: Executor, meetingId: string): Promise<SpeakerView[]> {
  const rows = await db
    .select({ r: speakerRequests, displayName: users.displayName })
    .from(speakerRequests)
    .innerJoin(users, eq(users.id, speakerRequests.userId))
    .where(and(eq(speakerRequests.meetingId, meetingId), inArray(speakerRequests.status, ['waiting', 'speaking'])))
    .orderBy(asc(speakerRequests.position));
  const views = rows.map(({ r, displayName }) => ({
    requestId: r.id,
    userId: r.userId,
    displayName,
    itemId: r.itemId,
    status: r.status,
    position: r.position,
    requestedAt: r.requestedAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    limitSeconds: r.limitSeconds,
  }));
  return [...views.filter((v) => v.status === 'speaking'), ...views.filter((v) => v.status !== 'speaking')];
}
