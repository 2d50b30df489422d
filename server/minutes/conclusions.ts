import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaConclusions } from '../db/schema';
import { numberedAgenda } from './numbering';

export interface ConclusionRow {
  readonly agendaItemId: string;
  /** The item's number in the agenda ("1", "1.2"). */
  readonly position: string;
  readonly title: string;
  readonly text: string;
}

/**
 * The chair's conclusions of a meeting in agenda order: what the minutes state per item and what the
 * conclusion notice and the tasks after the meeting are built from. Items without a conclusion are left out.
 */
export async function listConclusions(db: Executor, meetingId: string): Promise<ConclusionRow[]> {
  const rows = await db.select().from(agendaConclusions).where(eq(agendaConclusions.meetingId, meetingId));
  const byItem = new Map(rows.map((r) => [r.agendaItemId, r.text]));
  return (await numberedAgenda(db, meetingId)).flatMap((item) => {
    const text = byItem.get(item.id);
    return text === undefined ? [] : [{ agendaItemId: item.id, position: item.position, title: item.title, text }];
  });
}
