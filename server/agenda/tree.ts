import type { AgendaItem, AgendaKind } from '../../shared/api/meetings';
import { badRequest } from '../errors';

/** Pure agenda-tree logic: building the nested view and validating a whole-tree reorder. */

export interface AgendaRow {
  readonly id: string;
  readonly parentId: string | null;
  readonly position: number;
  readonly title: string;
  readonly description: string;
  readonly presenter: string;
  readonly kind: AgendaKind;
}

export interface Placement {
  readonly parentId: string | null;
  readonly position: number;
}

function bySiblingOrder(a: { position: number; id: string }, b: { position: number; id: string }): number {
  return a.position - b.position || a.id.localeCompare(b.id);
}

/** Nests the flat rows; `docIds` maps an item to the ids of its documents the caller may read. */
export function buildTree(rows: readonly AgendaRow[], docIds: ReadonlyMap<string, readonly string[]>): AgendaItem[] {
  const nodes = new Map<string, AgendaItem>();
  for (const r of rows) {
    nodes.set(r.id, { ...r, documentIds: [...(docIds.get(r.id) ?? [])], children: [] });
  }
  const roots: AgendaItem[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sortDeep = (list: AgendaItem[]): void => {
    list.sort(bySiblingOrder);
    for (const n of list) {
      sortDeep(n.children);
    }
  };
  sortDeep(roots);
  return roots;
}

export function findNode(tree: readonly AgendaItem[], id: string): AgendaItem | undefined {
  for (const n of tree) {
    if (n.id === id) {
      return n;
    }
    const hit = findNode(n.children, id);
    if (hit) {
      return hit;
    }
  }
  return undefined;
}

/** The item and all of its descendants. */
export function subtreeIds(rows: readonly Pick<AgendaRow, 'id' | 'parentId'>[], rootId: string): string[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) {
    const current = out[i];
    for (const r of rows) {
      if (r.parentId === current) {
        out.push(r.id);
      }
    }
  }
  return out;
}

/**
 * Validates a whole-tree reorder (every item of the meeting exactly once, parents inside the meeting, no
 * cycles) and returns the final placement with sibling positions renumbered 0..n-1. Requested positions
 * only order siblings; ties keep the order of the request.
 */
export function planReorder(
  existingIds: readonly string[],
  entries: readonly { readonly id: string; readonly parentId: string | null; readonly position: number }[],
): Map<string, Placement> {
  const existing = new Set(existingIds);
  const requested = new Map<string, { parentId: string | null; position: number; index: number }>();
  entries.forEach((e, index) => {
    if (!existing.has(e.id)) {
      throw badRequest(`Invalid items.${index}.id: ${e.id} is not an agenda item of this meeting`);
    }
    if (requested.has(e.id)) {
      throw badRequest(`Invalid items.${index}.id: ${e.id} is listed twice`);
    }
    if (e.parentId !== null && !existing.has(e.parentId)) {
      throw badRequest(`Invalid items.${index}.parentId: ${e.parentId} is not an agenda item of this meeting`);
    }
    requested.set(e.id, { parentId: e.parentId, position: e.position, index });
  });
  const missing = existingIds.find((id) => !requested.has(id));
  if (missing) {
    throw badRequest(`Invalid items: agenda item ${missing} is missing; send every item of the meeting`);
  }
  // Walking up from each item must reach a root within n steps, otherwise the parents form a cycle.
  for (const [id] of requested) {
    let cursor: string | null = id;
    for (let steps = 0; cursor !== null; steps++) {
      if (steps > requested.size) {
        throw badRequest(`Invalid items: parent links through ${id} form a cycle`);
      }
      cursor = requested.get(cursor)?.parentId ?? null;
    }
  }
  const siblings = new Map<string | null, { id: string; position: number; index: number }[]>();
  for (const [id, r] of requested) {
    const list = siblings.get(r.parentId) ?? [];
    list.push({ id, position: r.position, index: r.index });
    siblings.set(r.parentId, list);
  }
  const plan = new Map<string, Placement>();
  for (const [parentId, list] of siblings) {
    list.sort((a, b) => a.position - b.position || a.index - b.index);
    list.forEach((s, position) => plan.set(s.id, { parentId, position }));
  }
  return plan;
}
