import type { FileEntry } from './types.ts';

/** Most symlink hops a lookup follows before giving up (Linux's MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

/**
 * Normalises a path for lookups inside an image: absolute, single slashes, no trailing slash,
 * '.' dropped and '..' clamped at the root (as inside a chroot). Root is '/'.
 */
export function normaliseLookupPath(path: string): string {
  // most lookups are already normal (absolute, no empty, '.' or '..' part, no trailing slash): as they are
  if (NORMAL_PATH.test(path)) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

const NORMAL_PATH = /^(?:\/(?!\.{1,2}(?:\/|$))[^/]+)+$/;

export function parentPath(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Components of a normalised absolute path ('/' → []). */
export function pathComponents(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/**
 * Resolves `path` inside an image root like a chroot does: every symlink (the last component only
 * when `followFinal`) is followed, absolute targets restart at the image root and '..' never climbs
 * above it. Returns the resolved absolute path, or undefined when a component is missing, is not a
 * directory, or there are more than 40 hops.
 */
export function resolveInRoot(
  lookup: (path: string) => FileEntry | undefined,
  path: string,
  followFinal: boolean,
): string | undefined {
  const pending = path.split('/').filter((part) => part !== '' && part !== '.').reverse();
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '.' || part === '') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = `/${[...done, part].join('/')}`;
    const entry = lookup(candidate);
    const isLast = pending.length === 0;
    if (entry === undefined) {
      return isLast ? candidate : undefined;
    }
    if (entry.type === 'symlink' && (!isLast || followFinal)) {
      hops += 1;
      if (hops > MAX_SYMLINK_HOPS) return undefined;
      const target = entry.linkTarget ?? '';
      if (target.startsWith('/')) done.length = 0;
      for (const next of target.split('/').filter((p) => p !== '' && p !== '.').reverse()) pending.push(next);
      continue;
    }
    if (!isLast && entry.type !== 'dir') return undefined;
    done.push(part);
  }
  return `/${done.join('/')}`;
}
