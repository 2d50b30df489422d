import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { agendaItems } from '../db/schema';

export interface NumberedItem {
  readonly id: string;
  /** "1", "1.2", … as the agenda numbers the item (siblings by position, then id, like the agenda tree). */
  readonly position: string;
  readonly depth: number;
  readonly title: string;
  readonly presenter: string;
  readonly kind: 'report' | 'resolution' | 'election';
}

/** The meeting's agenda flattened in reading order (depth-first), each item with its number. */
export async function numberedAgenda(db: Executor, meetingId: string): Promise<NumberedItem[]> {
  const rows = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position), asc(agendaItems.id));
  const children = new Map<string | null, typeof rows>();
  for (const r of rows) {
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  const out: NumberedItem[] = [];
  const walk = (parentId: string | null, prefix: string, depth: number): void => {
    for (const [i, r] of (children.get(parentId) ?? []).entries()) {
      const position = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
      out.push({ id: r.id, position, depth, title: r.title, presenter: r.presenter, kind: r.kind });
      walk(r.id, position, depth + 1);
    }
  };
  walk(null, '', 0);
  return out;
}
