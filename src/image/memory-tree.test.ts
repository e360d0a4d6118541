import { describe, expect, it } from 'vitest';
import { createMemoryTree } from './memory-tree.ts';
import { byCodePoint } from '../core/order.ts';
import type { FileEntry } from './types.ts';

const entry = (path: string, type: FileEntry['type'] = 'file'): FileEntry => ({ path, type, mode: 0o644, uid: 0, gid: 0, size: 0, layer: 'l' });

describe('image/memory-tree', () => {
  it('lists a folder in name order, also where a sibling sorts between a folder and its contents', async () => {
    // path order puts /a/b-c (0x2d) between /a/b and /a/b/x (0x2f), and upper case before lower
    const paths = ['/a/b/x', '/a/b.c', '/a/B', '/a/b-c', '/a/b', '/a/b/-', '/a/ä', '/a/a'];
    const tree = createMemoryTree(
      [entry('/a', 'dir'), ...paths.map((p) => entry(p, p === '/a/b' ? 'dir' : 'file'))],
      async () => Buffer.alloc(0),
    );
    const names = (dir: string): string[] => tree.list(dir).map((e) => e.path.slice(dir.length + 1));

    expect(names('/a')).toEqual(['B', 'a', 'b', 'b-c', 'b.c', 'ä']);
    expect(names('/a')).toEqual([...names('/a')].sort(byCodePoint));
    expect(names('/a/b')).toEqual(['-', 'x']);
    expect([...tree.entries()].map((e) => e.path)).toEqual(['/', '/a', ...[...paths].sort(byCodePoint)]);
  });
});
