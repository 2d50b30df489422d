import type { AgendaItemView } from '../../../shared/room/events';

/** The snapshot's flat agenda in reading order (parents before children, siblings by position). */
export function orderAgenda(items: readonly AgendaItemView[]): { item: AgendaItemView; depth: number }[] {
  const byParent = new Map<string | null, AgendaItemView[]>();
  for (const it of items) {
    const list = byParent.get(it.parentId) ?? [];
    list.push(it);
    byParent.set(it.parentId, list);
  }
  const out: { item: AgendaItemView; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const it of [...(byParent.get(parent) ?? [])].sort((a, b) => a.position - b.position)) {
      out.push({ item: it, depth });
      walk(it.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
