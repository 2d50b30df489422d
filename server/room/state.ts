import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems } from '../db/schema';
import { quorum } from '../../shared/domain/quorum';
import type { AgendaItemView, AttendanceEntry, QuorumView } from '../../shared/room/snapshot';
import type { MeetingRow } from '../meetings/access';

/** Read models of the room, always rebuilt from the database (nothing lives only in memory). */

// Attendance is the meetings domain's record (exports read it too); the room re-exports it.
export { attendanceOf } from '../meetings/attendance';
export { meetingState, speakersOf } from '../meetings/live-state';

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

