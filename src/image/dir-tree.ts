import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { createMemoryTree } from './memory-tree.ts';
import { joinPath, pathComponents } from './paths.ts';
import type { FileEntry, FileTree, FileType } from './types.ts';

export interface DirTreeOptions {
  /** Compute sha256 of every regular file while walking (the file index needs it). Default false. */
  readonly hash?: boolean;
  /** Largest file readFile returns. Default: unlimited. */
  readonly maxFileReadBytes?: number;
  /** Most entries walked before LIMIT_ENTRY_COUNT. Default: unlimited. */
  readonly maxEntries?: number;
  /** The `layer` recorded on every entry. Default 'dir:'. */
  readonly layer?: string;
}

/**
 * A FileTree over a folder holding a root filesystem (fixtures, `dir:` sources). The folder is
 * walked once with lstat, never following symlinks; symlinks are then resolved inside the tree
 * (absolute targets at the folder, '..' clamped there), so readFile never leaves the folder.
 */
export async function openDirTree(rootPath: string, options: DirTreeOptions = {}): Promise<FileTree> {
  let rootStat: Stats;
  try {
    rootStat = await lstat(rootPath);
  } catch (cause) {
    throw new AppError('SOURCE_NOT_FOUND', 'the folder does not exist', { cause, details: { path: rootPath } });
  }
  if (!rootStat.isDirectory()) {
    throw new AppError('SOURCE_INVALID', 'not a folder', { details: { path: rootPath } });
  }
  const layer = options.layer ?? 'dir:';
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const entries: FileEntry[] = [await toEntry(rootPath, '/', rootStat, layer, false)];
  const pending: string[] = ['/'];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const names = await readdir(hostPath(rootPath, dir));
    for (const name of names) {
      const path = joinPath(dir, name);
      const host = hostPath(rootPath, path);
      const stat = await lstat(host);
      const entry = await toEntry(host, path, stat, layer, options.hash === true);
      entries.push(entry);
      if (entries.length > maxEntries) {
        throw new AppError('LIMIT_ENTRY_COUNT', 'the folder has too many entries', { details: { limit: maxEntries } });
      }
      if (entry.type === 'dir') pending.push(path);
    }
  }
  return createMemoryTree(entries, (path) => readConfined(rootPath, path), {
    ...(options.maxFileReadBytes !== undefined ? { maxFileReadBytes: options.maxFileReadBytes } : {}),
  });
}

function hostPath(root: string, path: string): string {
  return path === '/' ? root : join(root, ...pathComponents(path));
}

function typeOf(stat: Stats): FileType | undefined {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'dir';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isCharacterDevice()) return 'char';
  if (stat.isBlockDevice()) return 'block';
  return undefined; // sockets: not part of an image
}

async function toEntry(host: string, path: string, stat: Stats, layer: string, hash: boolean): Promise<FileEntry> {
  const type = typeOf(stat) ?? 'file';
  const base = {
    path,
    type,
    mode: stat.mode & 0o7777,
    uid: stat.uid,
    gid: stat.gid,
    size: type === 'file' ? stat.size : 0,
    layer,
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
  if (type === 'symlink') return { ...base, linkTarget: await readlink(host) };
  if (type === 'file' && hash) return { ...base, sha256: await hashFile(host) };
  return base;
}

async function hashFile(host: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Reads a file the tree already resolved (no symlink components), refusing a symlink swapped in since. */
async function readConfined(root: string, path: string): Promise<Buffer> {
  const handle = await open(hostPath(root, path), constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
