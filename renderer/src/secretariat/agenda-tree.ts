import type { AgendaItem } from '../../../shared/api/meetings';

/** Pure tree edits for the agenda builder; the result is sent whole to PUT …/agenda (reorder). */
export interface Node {
  readonly id: string;
  readonly title: string;
  readonly kind: AgendaItem['kind'];
  readonly children: Node[];
}

export function toNodes(items: readonly AgendaItem[]): Node[] {
  return [...items].sort((a, b) => a.position - b.position).map((i) => ({ id: i.id, title: i.title, kind: i.kind, children: toNodes(i.children) }));
}

export function flatten(nodes: readonly Node[], parentId: string | null = null): { id: string; parentId: string | null; position: number }[] {
  return nodes.flatMap((n, position) => [{ id: n.id, parentId, position }, ...flatten(n.children, n.id)]);
}

interface Loc {
  readonly siblings: Node[];
  readonly index: number;
  readonly parent: Node | null;
  readonly parentSiblings: Node[] | null;
}

function locate(nodes: Node[], id: string, parent: Node | null = null, parentSiblings: Node[] | null = null): Loc | null {
  const index = nodes.findIndex((n) => n.id === id);
  if (index !== -1) {
    return { siblings: nodes, index, parent, parentSiblings };
  }
  for (const n of nodes) {
    const found = locate(n.children, id, n, nodes);
    if (found) {
      return found;
    }
  }
  return null;
}

function clone(nodes: readonly Node[]): Node[] {
  return nodes.map((n) => ({ ...n, children: clone(n.children) }));
}

export type Move = 'up' | 'down' | 'indent' | 'outdent';

/** Applies one keyboard/button move; returns the same tree when the move is impossible. */
export function move(tree: readonly Node[], id: string, m: Move): Node[] {
  const next = clone(tree);
  const loc = locate(next, id);
  if (!loc) {
    return next;
  }
  const { siblings, index } = loc;
  const [node] = siblings.splice(index, 1);
  if (!node) {
    return next;
  }
  switch (m) {
    case 'up':
      siblings.splice(Math.max(0, index - 1), 0, node);
      break;
    case 'down':
      siblings.splice(Math.min(siblings.length, index + 1), 0, node);
      break;
    case 'indent': {
      const prev = siblings[index - 1];
      if (!prev) {
        siblings.splice(index, 0, node);
        break;
      }
      prev.children.push(node);
      break;
    }
    case 'outdent': {
      if (!loc.parent || !loc.parentSiblings) {
        siblings.splice(index, 0, node);
        break;
      }
      const pIndex = loc.parentSiblings.findIndex((n) => n.id === loc.parent?.id);
      loc.parentSiblings.splice(pIndex + 1, 0, node);
      break;
    }
  }
  return next;
}

function contains(node: Node, id: string): boolean {
  return node.id === id || node.children.some((c) => contains(c, id));
}

/** Drag and drop: puts `id` just before `targetId`, as its sibling (never inside itself). */
export function dropBefore(tree: readonly Node[], id: string, targetId: string): Node[] {
  if (id === targetId) {
    return clone(tree);
  }
  const next = clone(tree);
  const from = locate(next, id);
  const dragged = from?.siblings[from.index];
  if (!from || !dragged || contains(dragged, targetId)) {
    return clone(tree);
  }
  from.siblings.splice(from.index, 1);
  const to = locate(next, targetId);
  if (!to) {
    return clone(tree);
  }
  to.siblings.splice(to.index, 0, dragged);
  return next;
}
