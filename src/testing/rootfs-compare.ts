import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { FileEntry } from '../image/types.ts';

/** Compare a file index with a real unpacked root filesystem (umoci unpack, podman mount, lab rootfs). */
export interface Described {
  readonly path: string;
  readonly type: string;
  readonly sha256?: string;
  readonly linkTarget?: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export function walkRootfs(root: string): Described[] {
  const out: Described[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const host = join(dir, name);
      const path = `${rel}/${name}`;
      const st = lstatSync(host);
      const base = { path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
      if (st.isSymbolicLink()) out.push({ ...base, type: 'symlink', linkTarget: readlinkSync(host) });
      else if (st.isDirectory()) {
        out.push({ ...base, type: 'dir' });
        walk(host, path);
      } else if (st.isFile()) out.push({ ...base, type: 'file', sha256: createHash('sha256').update(readFileSync(host)).digest('hex') });
      else out.push({ ...base, type: st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char' : 'block' });
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function describeIndex(index: readonly FileEntry[]): Described[] {
  return index
    .filter((e) => e.path !== '/')
    .map((e) => ({
      path: e.path,
      type: e.type === 'hardlink' ? 'file' : e.type,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      ...(e.sha256 !== undefined ? { sha256: e.sha256 } : {}),
      ...(e.type === 'symlink' && e.linkTarget !== undefined ? { linkTarget: e.linkTarget } : {}),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

