import type { Logger } from '../core/logger.ts';
import { byCodePoint } from '../core/order.ts';

/**
 * The data folder's caches (`<data-dir>/cache/`: the layer cache, the catalogue caches) kept within a
 * budget. Every entry there is derived from content digests and can be recomputed, so evicting one
 * only costs a re-read: entries are dropped least recently used first (a hit marks an entry used),
 * anything unused for `maxAgeDays` goes, and temporary files a crashed run left behind go after an
 * hour. Readers tolerate an entry disappearing under them (a miss, or a re-read of the blob).
 */

/** One file of the cache folder. */
export interface CacheFile {
  /** Path relative to the cache folder (what `remove` takes). */
  readonly path: string;
  /** The folder it belongs to: 'layers', 'catalog/images', … */
  readonly kind: string;
  readonly bytes: number;
  /** Last use (epoch ms): the file's modification time, which a cache hit refreshes. */
  readonly lastUsed: number;
  /** A temporary file (a write in progress, or one a crashed run left). */
  readonly temp: boolean;
}

/** The filesystem side (src/app/adapters/cache-folder.ts). */
export interface CacheFolder {
  /** The cache folder's absolute path (for reports). */
  readonly dir: string;
  /** Every file under the folder (none when it does not exist); files vanishing meanwhile are left out. */
  list(): Promise<CacheFile[]>;
  /** Deletes one file; false when it was already gone. */
  remove(path: string): Promise<boolean>;
  /** When the folder was last pruned (epoch ms), undefined if never. */
  lastPruned(): Promise<number | undefined>;
  markPruned(at: number): Promise<void>;
}

export interface CacheBudget {
  /** Total bytes the cache may hold after a prune. */
  readonly maxBytes: number;
  /** Entries unused for longer are removed whatever the total. */
  readonly maxAgeDays: number;
}

export interface CacheKindUsage {
  readonly kind: string;
  readonly files: number;
  readonly bytes: number;
}

export interface CacheUsage {
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  readonly kinds: readonly CacheKindUsage[];
  /** Least recent use among the entries (epoch ms). */
  readonly oldestUse?: number;
  readonly budget: CacheBudget;
}

export interface PruneReport {
  readonly dir: string;
  readonly removedFiles: number;
  readonly removedBytes: number;
  /** What is left. */
  readonly files: number;
  readonly bytes: number;
  readonly budget: CacheBudget;
}

export interface PruneOptions {
  readonly maxBytes?: number;
  readonly maxAgeDays?: number;
  /** Remove every entry (temporary files younger than TEMP_GRACE_MS stay: a run may be writing them). */
  readonly all?: boolean;
}

export interface CacheServices {
  usage(): Promise<CacheUsage>;
  prune(options?: PruneOptions): Promise<PruneReport>;
  /** Prunes to the configured budget when the last prune is older than PRUNE_INTERVAL_MS (called after runs that use the cache). */
  pruneIfDue(): Promise<PruneReport | undefined>;
}

export interface CacheDeps {
  readonly folder: CacheFolder;
  readonly budget: CacheBudget;
  readonly now: () => number;
  readonly log: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A temporary file older than this is a crashed run's leftover (writes take seconds). */
export const TEMP_GRACE_MS = 60 * 60 * 1000;
/** Automatic prunes (after a run) at most this often: listing a big cache costs a stat per file. */
export const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The files a prune removes, in removal order: stale temporary files, entries unused for longer than
 * maxAgeDays, then the least recently used until the rest fits maxBytes. Ties in last use go by
 * path, so the choice is the same on every run.
 */
export function chooseEvictions(files: readonly CacheFile[], budget: CacheBudget, now: number, all = false): CacheFile[] {
  const chosen: CacheFile[] = [];
  const kept: CacheFile[] = [];
  const oldest = now - budget.maxAgeDays * DAY_MS;
  for (const file of files) {
    if (file.temp) {
      if (file.lastUsed < now - TEMP_GRACE_MS) chosen.push(file);
    } else if (all || file.lastUsed < oldest) chosen.push(file);
    else kept.push(file);
  }
  kept.sort((a, b) => a.lastUsed - b.lastUsed || byCodePoint(a.path, b.path));
  // temporary files still being written count towards the total but cannot be evicted
  let total = files.reduce((sum, file) => sum + file.bytes, 0) - chosen.reduce((sum, file) => sum + file.bytes, 0);
  for (const file of kept) {
    if (total <= budget.maxBytes) break;
    chosen.push(file);
    total -= file.bytes;
  }
  return chosen;
}

export function makeCacheServices(deps: CacheDeps): CacheServices {
  const { folder } = deps;

  async function prune(options: PruneOptions = {}): Promise<PruneReport> {
    const budget: CacheBudget = {
      maxBytes: options.maxBytes ?? deps.budget.maxBytes,
      maxAgeDays: options.maxAgeDays ?? deps.budget.maxAgeDays,
    };
    const now = deps.now();
    const files = await folder.list();
    let removedFiles = 0;
    let removedBytes = 0;
    for (const file of chooseEvictions(files, budget, now, options.all === true)) {
      if (await folder.remove(file.path)) {
        removedFiles += 1;
        removedBytes += file.bytes;
      }
    }
    await folder.markPruned(now);
    const bytes = files.reduce((sum, file) => sum + file.bytes, 0) - removedBytes;
    if (removedFiles > 0) deps.log.debug({ component: 'cache', removedFiles, removedBytes, bytes }, 'cache pruned');
    return { dir: folder.dir, removedFiles, removedBytes, files: files.length - removedFiles, bytes, budget };
  }

  return {
    async usage() {
      const files = await folder.list();
      const kinds = new Map<string, { files: number; bytes: number }>();
      let oldestUse: number | undefined;
      let bytes = 0;
      for (const file of files) {
        bytes += file.bytes;
        const kind = file.temp ? 'temporary' : file.kind;
        const usage = kinds.get(kind) ?? { files: 0, bytes: 0 };
        usage.files += 1;
        usage.bytes += file.bytes;
        kinds.set(kind, usage);
        if (!file.temp) oldestUse = Math.min(oldestUse ?? file.lastUsed, file.lastUsed);
      }
      return {
        dir: folder.dir,
        files: files.length,
        bytes,
        kinds: [...kinds].map(([kind, usage]) => ({ kind, ...usage })).sort((a, b) => byCodePoint(a.kind, b.kind)),
        ...(oldestUse !== undefined ? { oldestUse } : {}),
        budget: deps.budget,
      };
    },
    prune,
    async pruneIfDue() {
      const last = await folder.lastPruned();
      const since = last === undefined ? Number.POSITIVE_INFINITY : deps.now() - last;
      // a mark from the future (a clock set back) does not postpone pruning forever
      if (since >= 0 && since < PRUNE_INTERVAL_MS) return undefined;
      return prune();
    },
  };
}
