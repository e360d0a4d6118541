import { AppError } from '../core/errors.ts';
import { byCodePoint } from '../core/order.ts';
import { normaliseLookupPath, parentPath, resolveInRoot } from './paths.ts';
import { shapeOf, type TreeAccessLog } from './access-log.ts';
import type { ProbeResults } from './probe.ts';
import type { FileEntry, FileTree } from './types.ts';

/** Reads the contents of a resolved regular file or hard link (`path` is the resolved, normalised path). */
export type ContentReader = (path: string, entry: FileEntry) => Promise<Buffer>;

export interface MemoryTreeOptions {
  /** Largest file readFile returns (LIMIT_FILE_SIZE above it). Default: unlimited. */
  readonly maxFileReadBytes?: number;
  /** Probe results of a resolved regular file or hard link (FileTree.probe); none when absent. */
  readonly probes?: (path: string) => ProbeResults | undefined;
  /** Records every lookup (each resolution step), read and listing made through the tree. */
  readonly accessLog?: TreeAccessLog;
}

const ROOT: FileEntry = Object.freeze({ path: '/', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, layer: '' });

/**
 * An in-memory FileTree over a set of entries (the squashed image, or a folder's walk). Entries
 * must have normalised absolute paths; a missing root gets a default one. Contents come from
 * `read`, so memory holds metadata only unless the reader caches.
 */
export function createMemoryTree(entries: Iterable<FileEntry>, read: ContentReader, options: MemoryTreeOptions = {}): FileTree {
  const byPath = new Map<string, FileEntry>();
  for (const entry of entries) byPath.set(entry.path, entry);
  if (!byPath.has('/')) byPath.set('/', ROOT);
  const sorted = [...byPath.keys()].sort(byCodePoint);
  // Filled in path order, each folder's list is already in name order: two siblings' paths share
  // the parent's prefix, so comparing the paths compares the names.
  const children = new Map<string, FileEntry[]>();
  for (const path of sorted) {
    if (path === '/') continue;
    const parent = parentPath(path);
    let list = children.get(parent);
    if (list === undefined) {
      list = [];
      children.set(parent, list);
    }
    list.push(byPath.get(path) as FileEntry);
  }
  const log = options.accessLog;
  const lookup =
    log === undefined
      ? (path: string): FileEntry | undefined => byPath.get(path)
      : (path: string): FileEntry | undefined => {
          const entry = byPath.get(path);
          if (log.recording) log.looked.set(path, shapeOf(entry));
          return entry;
        };
  const maxRead = options.maxFileReadBytes ?? Number.POSITIVE_INFINITY;

  const tree: FileTree = {
    size: byPath.size,
    *entries() {
      for (const path of sorted) yield byPath.get(path) as FileEntry;
    },
    get(path) {
      return lookup(normaliseLookupPath(path));
    },
    resolve(path) {
      const resolved = resolveInRoot(lookup, path, true);
      return resolved === undefined ? undefined : byPath.get(resolved);
    },
    list(dir) {
      const resolved = resolveInRoot(lookup, dir, true);
      if (resolved === undefined) return [];
      if (log?.recording === true) log.listed.add(resolved);
      return children.get(resolved) ?? [];
    },
    async readFile(path) {
      const resolved = resolveInRoot(lookup, path, true);
      const entry = resolved === undefined ? undefined : byPath.get(resolved);
      if (resolved === undefined || entry === undefined) {
        throw new AppError('SOURCE_NOT_FOUND', 'no such file in the image', { details: { path: path.slice(0, 4096) } });
      }
      if (entry.type !== 'file' && entry.type !== 'hardlink') {
        throw new AppError('INPUT_INVALID', 'not a regular file', { details: { path: resolved, type: entry.type } });
      }
      if (log?.recording === true) log.read.add(resolved);
      if (entry.size > maxRead) {
        throw new AppError('LIMIT_FILE_SIZE', 'file is larger than the read limit', {
          details: { path: resolved, size: entry.size, limit: maxRead },
        });
      }
      return read(resolved, entry);
    },
    probe(path, name) {
      if (options.probes === undefined) return undefined;
      const resolved = resolveInRoot(lookup, path, true);
      const entry = resolved === undefined ? undefined : byPath.get(resolved);
      if (resolved === undefined || (entry?.type !== 'file' && entry?.type !== 'hardlink')) return undefined;
      if (log?.recording === true) log.read.add(resolved);
      return options.probes(resolved)?.[name];
    },
  };
  return Object.freeze(tree);
}
