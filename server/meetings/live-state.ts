import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { speakerRequests, users } from '../db/schema';
import type { MeetingState, SpeakerView } from '../../shared/room/snapshot';
import type { MeetingRow } from './access';

/** The live state of a meeting as the room shows it, read from the database (the room re-exports these). */

export function meetingState(m: MeetingRow): MeetingState {
  return { meetingId: m.id, title: m.title, status: m.status, paused: m.paused, currentItemId: m.currentItemId };
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
