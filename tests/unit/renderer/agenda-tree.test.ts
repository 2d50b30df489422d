import { describe, expect, it } from 'vitest';
import { dropBefore, flatten, move, type Node } from '../../../renderer/src/secretariat/agenda-tree';

const n = (id: string, children: Node[] = []): Node => ({ id, title: id, kind: 'report', children });
const shape = (nodes: Node[]): string => nodes.map((x) => (x.children.length ? `${x.id}(${shape(x.children)})` : x.id)).join(',');

describe('agenda builder tree edits', () => {
  const tree = [n('a'), n('b', [n('b1'), n('b2')]), n('c')];

  it('moves up and down among siblings', () => {
    expect(shape(move(tree, 'c', 'up'))).toBe('a,c,b(b1,b2)');
    expect(shape(move(tree, 'b1', 'down'))).toBe('a,b(b2,b1),c');
    expect(shape(move(tree, 'a', 'up'))).toBe('a,b(b1,b2),c');
  });

  it('nests under the previous sibling and moves out again', () => {
    expect(shape(move(tree, 'c', 'indent'))).toBe('a,b(b1,b2,c)');
    expect(shape(move(tree, 'b2', 'outdent'))).toBe('a,b(b1),b2,c');
    expect(shape(move(tree, 'a', 'indent'))).toBe('a,b(b1,b2),c');
  });

  it('drops before a target but never into itself', () => {
    expect(shape(dropBefore(tree, 'c', 'b1'))).toBe('a,b(c,b1,b2)');
    expect(shape(dropBefore(tree, 'b', 'b2'))).toBe('a,b(b1,b2),c');
  });

  it('flattens to the reorder request with parents and positions', () => {
    expect(flatten(tree)).toEqual([
      { id: 'a', parentId: null, position: 0 },
      { id: 'b', parentId: null, position: 1 },
      { id: 'b1', parentId: 'b', position: 0 },
      { id: 'b2', parentId: 'b', position: 1 },
      { id: 'c', parentId: null, position: 2 },
    ]);
  });
});
