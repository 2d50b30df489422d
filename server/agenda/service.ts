import { and, asc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { agendaItems, meetings } from '../db/schema';
import { AppError, badRequest, notFound } from '../errors';
import type { AuthUser } from '../auth/sessions';
import type { AgendaItem, AgendaKind } from '../../shared/api/meetings';
import type { DocumentMeta } from '../../shared/api/documents';
import { manageOpenMeeting } from '../meetings/guards';
import type { MeetingAccess } from '../meetings/access';
import { readableDocuments } from '../meetings/views';
import { buildTree, planReorder, subtreeIds, type AgendaRow } from './tree';

const rowColumns = {
  id: agendaItems.id,
  parentId: agendaItems.parentId,
  position: agendaItems.position,
  title: agendaItems.title,
  description: agendaItems.description,
  presenter: agendaItems.presenter,
  kind: agendaItems.kind,
};

export async function agendaRows(db: Executor, meetingId: string): Promise<AgendaRow[]> {
  return db.select(rowColumns).from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
}

/** The tree as this caller sees it: documentIds only of documents they may read (no leaks to observers). */
export async function agendaTree(db: Executor, access: MeetingAccess, docs?: readonly DocumentMeta[]): Promise<AgendaItem[]> {
  const readable = docs ?? (await readableDocuments(db, access));
  const byItem = new Map<string, string[]>();
  for (const d of readable) {
    if (d.agendaItemId) {
      byItem.set(d.agendaItemId, [...(byItem.get(d.agendaItemId) ?? []), d.id]);
    }
  }
  return buildTree(await agendaRows(db, access.meeting.id), byItem);
}

/**
 * Loads an item for a manager mutation. Outsiders get "Agenda item not found", exactly as for an id that
 * does not exist: "Meeting not found" would reveal that the item exists.
 */
export async function manageItem(tx: Tx, itemId: string, user: AuthUser): Promise<{ item: AgendaRow; access: MeetingAccess }> {
  const [row] = await tx.select({ ...rowColumns, meetingId: agendaItems.meetingId }).from(agendaItems).where(eq(agendaItems.id, itemId)).limit(1);
  if (!row) {
    throw notFound('Agenda item');
  }
  try {
    const access = await manageOpenMeeting(tx, row.meetingId, user);
    return { item: row, access };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) {
      throw notFound('Agenda item');
    }
    throw err;
  }
}

const siblingsOf = (meetingId: string, parentId: string | null) =>
  and(eq(agendaItems.meetingId, meetingId), parentId === null ? isNull(agendaItems.parentId) : eq(agendaItems.parentId, parentId));

export interface NewItem {
  readonly title: string;
  readonly description: string;
  readonly presenter: string;
  readonly kind: AgendaKind;
  readonly parentId?: string | null | undefined;
  readonly position?: number | undefined;
}

/** Inserts at `position` among its siblings (default: last), shifting the later siblings down. */
export async function insertItem(tx: Tx, meetingId: string, input: NewItem): Promise<string> {
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const [parent] = await tx
      .select({ id: agendaItems.id })
      .from(agendaItems)
      .where(and(eq(agendaItems.id, parentId), eq(agendaItems.meetingId, meetingId)))
      .limit(1);
    if (!parent) {
      throw badRequest(`Invalid parentId: ${parentId} is not an agenda item of this meeting`);
    }
  }
  const siblings = await tx.select({ id: agendaItems.id }).from(agendaItems).where(siblingsOf(meetingId, parentId));
  const position = Math.min(input.position ?? siblings.length, siblings.length);
  await tx
    .update(agendaItems)
    .set({ position: sql`${agendaItems.position} + 1` })
    .where(and(siblingsOf(meetingId, parentId), gte(agendaItems.position, position)));
  const [created] = await tx
    .insert(agendaItems)
    .values({
      meetingId,
      parentId,
      position,
      title: input.title,
      description: input.description,
      presenter: input.presenter,
      kind: input.kind,
    })
    .returning({ id: agendaItems.id });
  if (!created) {
    throw new Error('agenda insert returned nothing');
  }
  return created.id;
}

/** Removes the item with its whole subtree and closes the gap among the remaining siblings. */
export async function deleteItemSubtree(tx: Tx, meetingId: string, item: AgendaRow): Promise<string[]> {
  const removed = subtreeIds(await agendaRows(tx, meetingId), item.id);
  // The live room must not point at an item that no longer exists.
  await tx.update(meetings).set({ currentItemId: null }).where(and(eq(meetings.id, meetingId), inArray(meetings.currentItemId, removed)));
  // Children go with it through ON DELETE CASCADE on parent_id; documents keep living, detached (SET NULL).
  await tx.delete(agendaItems).where(eq(agendaItems.id, item.id));
  await renumberSiblings(tx, meetingId, item.parentId);
  return removed;
}

async function renumberSiblings(tx: Tx, meetingId: string, parentId: string | null): Promise<void> {
  const rest = await tx
    .select({ id: agendaItems.id, position: agendaItems.position })
    .from(agendaItems)
    .where(siblingsOf(meetingId, parentId))
    .orderBy(asc(agendaItems.position), asc(agendaItems.id));
  for (const [position, s] of rest.entries()) {
    if (s.position !== position) {
      await tx.update(agendaItems).set({ position }).where(eq(agendaItems.id, s.id));
    }
  }
}

/** Applies a validated whole-tree reorder; returns how many rows moved. */
export async function applyReorder(
  tx: Tx,
  meetingId: string,
  entries: readonly { id: string; parentId: string | null; position: number }[],
): Promise<number> {
  const rows = await agendaRows(tx, meetingId);
  const plan = planReorder(
    rows.map((r) => r.id),
    entries,
  );
  let moved = 0;
  for (const r of rows) {
    const p = plan.get(r.id);
    if (p && (p.parentId !== r.parentId || p.position !== r.position)) {
      await tx.update(agendaItems).set({ parentId: p.parentId, position: p.position }).where(eq(agendaItems.id, r.id));
      moved += 1;
    }
  }
  return moved;
}
