import { lstat, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { byCodePoint } from '../../core/order.ts';
import type { CacheFile, CacheFolder } from '../../services/cache.ts';

/** The prune mark: its modification time is the last prune. Not an entry (listed by nobody). */
const PRUNED_MARK = '.pruned';
/** How deep the walk goes: the caches are `<kind>/<file>` and `layers/<algorithm>/<file>`. */
const MAX_DEPTH = 4;

/**
 * The CacheFolder port over `<data-dir>/cache`: lists regular files (symbolic links and anything
 * else are not cache entries and are left alone), with the modification time as last use.
 */
export function cacheFolder(dir: string): CacheFolder {
  const list = async (): Promise<CacheFile[]> => {
    const files: CacheFile[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(folder);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw new AppError('IO_FAILED', 'could not list the cache folder', { cause, details: { folder } });
      }
      await Promise.all(
        names.map(async (name) => {
          if (depth === 0 && name === PRUNED_MARK) return;
          const path = join(folder, name);
          const info = await lstat(path).catch(() => undefined); // gone meanwhile: another run pruned it
          if (info === undefined) return;
          if (info.isDirectory()) {
            if (depth < MAX_DEPTH) await walk(path, depth + 1);
            return;
          }
          if (!info.isFile()) return;
          const rel = relative(dir, path);
          const parts = rel.split(sep);
          // the layer cache nests one more level per digest algorithm: layers/sha256/<file>
          const kind = parts[0] === 'layers' ? 'layers' : parts.slice(0, -1).join('/') || '.';
          files.push({ path: rel, kind, bytes: info.size, lastUsed: info.mtimeMs, temp: name.endsWith('.tmp') });
        }),
      );
    };
    await walk(dir, 0);
    return files.sort((a, b) => byCodePoint(a.path, b.path));
  };
  return {
    dir,
    list,
    async remove(path) {
      const target = join(dir, path);
      if (relative(dir, target).startsWith('..')) throw new AppError('INTERNAL', 'cache path outside the cache folder', { details: { path } });
      try {
        await rm(target);
        return true;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw new AppError('IO_FAILED', 'could not remove a cache entry', { cause, details: { path: target } });
      }
    },
    async lastPruned() {
      try {
        return (await stat(join(dir, PRUNED_MARK))).mtimeMs;
      } catch {
        return undefined;
      }
    },
    async markPruned(at) {
      const mark = join(dir, PRUNED_MARK);
      try {
        await writeFile(mark, '');
        await utimes(mark, at / 1000, at / 1000);
      } catch (cause) {
        // no cache folder yet: nothing was pruned, nothing to mark
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('IO_FAILED', 'could not mark the cache pruned', { cause, details: { path: mark } });
      }
    },
  };
}
