import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { speeches, users } from '../db/schema';
import type { Speech } from '../../shared/api/minutes';

type SpeechRow = typeof speeches.$inferSelect;

export function toSpeech(r: SpeechRow, displayName: string): Speech {
  return {
    id: r.id,
    meetingId: r.meetingId,
    agendaItemId: r.agendaItemId,
    userId: r.userId,
    displayName,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    summary: r.summary,
    source: r.requestId ? 'floor' : 'manual',
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The meeting's speaking turns in the order they started. */
export async function listSpeeches(db: Executor, meetingId: string): Promise<Speech[]> {
  const rows = await db
    .select({ s: speeches, displayName: users.displayName })
    .from(speeches)
    .innerJoin(users, eq(users.id, speeches.userId))
    .where(eq(speeches.meetingId, meetingId))
    .orderBy(asc(speeches.startedAt), asc(speeches.id));
  return rows.map((r) => toSpeech(r.s, r.displayName));
}

/**
 * The chair gave the floor (server/room/speaker-handlers.ts): the turn starts, in the same transaction
 * as the speaker request turning `speaking`, so the record never misses or invents a turn.
 */
export async function startFloorSpeech(
  tx: Tx,
  turn: { meetingId: string; requestId: string; userId: string; agendaItemId: string | null; at: Date; by: string },
): Promise<void> {
  await tx
    .insert(speeches)
    .values({ meetingId: turn.meetingId, requestId: turn.requestId, userId: turn.userId, agendaItemId: turn.agendaItemId, startedAt: turn.at, createdBy: turn.by, updatedAt: turn.at })
    .onConflictDoNothing();
}

/** The floor ended for these speaker requests: their turns end at `at`. */
export async function endFloorSpeeches(tx: Tx, meetingId: string, requestIds: readonly string[], at: Date): Promise<void> {
  if (requestIds.length === 0) {
    return;
  }
  await tx
    .update(speeches)
    .set({ endedAt: at })
    .where(and(eq(speeches.meetingId, meetingId), inArray(speeches.requestId, [...requestIds]), isNotNull(speeches.requestId), isNull(speeches.endedAt)));
}

/** The meeting closed: every turn still open ends at the closing time. */
export async function endOpenSpeeches(tx: Tx, meetingId: string, at: Date): Promise<void> {
  await tx.update(speeches).set({ endedAt: at }).where(and(eq(speeches.meetingId, meetingId), isNull(speeches.endedAt)));
}
