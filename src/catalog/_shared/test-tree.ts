// Test helper (imported by *.test.ts only): a FileTree from inline files.
import { createMemoryTree } from '../../image/memory-tree.ts';
import type { FileEntry, FileTree } from '../../image/types.ts';

export interface InlineFile {
  readonly content: string | Buffer;
  readonly mode?: number;
  readonly layer?: string;
}

/** Builds a tree holding the given files (parents created as folders). */
export function inlineTree(files: Readonly<Record<string, string | Buffer | InlineFile>>, layer = 'sha256:layer0'): FileTree {
  const entries = new Map<string, FileEntry>();
  const contents = new Map<string, Buffer>();
  for (const [path, spec] of Object.entries(files)) {
    const file: InlineFile = typeof spec === 'string' || Buffer.isBuffer(spec) ? { content: spec } : spec;
    const bytes = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!entries.has(dir)) entries.set(dir, { path: dir, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer: file.layer ?? layer });
    }
    entries.set(path, { path, type: 'file', mode: file.mode ?? 0o644, uid: 0, gid: 0, size: bytes.length, layer: file.layer ?? layer });
    contents.set(path, bytes);
  }
  return createMemoryTree(entries.values(), async (path) => contents.get(path) ?? Buffer.alloc(0));
}
