import type { LayerEntry } from './layer/layer-entry.ts';
import { baseName, joinPath, parentPath } from './paths.ts';
import { OPAQUE, WHITEOUT } from './squash.ts';
import type { FileEntry } from './types.ts';

/**
 * What readers of a FileTree consulted, recorded inside the tree (createMemoryTree's `accessLog`):
 * every path looked up, including each component and symlink hop of a resolution, with what was
 * there; the files whose bytes (or probe results) were used; the folders listed. With it, layers
 * stacked on the same tree can be checked for whether they could change anything those readers saw
 * (layersTouch), without reading the tree again.
 */
export interface TreeAccessLog {
  /** Path looked up → its shape then: 'missing', 'dir', 'file', 'hardlink', 'symlink>TARGET', … */
  readonly looked: Map<string, string>;
  /** Resolved paths whose contents or probe results were used. */
  readonly read: Set<string>;
  /** Resolved folders whose children were listed. */
  readonly listed: Set<string>;
  /** While true the tree records; set false once the readers of interest are done. */
  recording: boolean;
}

export function createAccessLog(): TreeAccessLog {
  return { looked: new Map(), read: new Set(), listed: new Set(), recording: true };
}

/**
 * Whether a folder holds something that existed and was looked up or read (or a listed folder), for
 * `questions` questions to come. A few (the entries of a small new layer, the usual case) are each
 * answered by one pass over the log's paths; many by a set of every holding folder, built once
 * (walking up from each of the log's thousands of paths costs ~2 ms).
 */
function holdersOf(log: TreeAccessLog, questions: number): (dir: string) => boolean {
  const held: string[] = [];
  // forEach, not `for (const [path, shape] of …)`: run once per process, mostly in V8's interpreter,
  // the entry arrays and iterator steps of the destructuring loop took ~4 ms over a few thousand paths
  // against ~0.7 ms (measured in a fresh process)
  log.looked.forEach((shape, path) => {
    if (shape !== 'missing') held.push(path);
  });
  for (const path of log.read) held.push(path);
  for (const path of log.listed) held.push(`${path === '/' ? '' : path}/x`);
  if (questions * held.length <= SCAN_BUDGET) {
    // as the set: the root holds whenever anything is held (every walk up ends there), any other
    // folder when a held path lies below it
    return (dir) => (dir === '/' ? held.length > 0 : held.some((path) => path.startsWith(`${dir}/`)));
  }
  const holders = new Set<string>();
  for (const path of held) {
    for (let dir = parentPath(path); !holders.has(dir); dir = parentPath(dir)) {
      holders.add(dir);
      if (dir === '/') break;
    }
  }
  return (dir) => holders.has(dir);
}

/** Path comparisons below which holdersOf answers by scanning instead of building its set. */
const SCAN_BUDGET = 64 * 1024;

/** What resolution and existence checks see of an entry: its type, and a symlink's target. */
export function shapeOf(entry: Pick<FileEntry, 'type' | 'linkTarget'> | undefined): string {
  if (entry === undefined) return 'missing';
  return entry.type === 'symlink' ? `symlink>${entry.linkTarget ?? ''}` : entry.type;
}

/**
 * Whether `layers` (in order, entries as written: whiteouts included), stacked on the tree the log
 * was recorded on, could change what its readers saw. False only when no entry is `wanted`, none
 * adds, replaces or deletes a looked-up path with another shape (implied parent folders included),
 * none touches a file that was read, none puts a non-folder over a folder something was looked up
 * in, none adds to, below or deletes from a listed folder, and none is a hard link. Conservative:
 * true means "read everything again", never a wrong reuse.
 */
export function layersTouch(log: TreeAccessLog, layers: readonly (readonly LayerEntry[])[], wanted: (entry: LayerEntry, layer: number) => boolean): boolean {
  // Folders holding something that existed and was looked up or read: replacing or emptying them changes it.
  const holds = holdersOf(log, layers.reduce((n, layer) => n + layer.length, 0));
  const consulted = (path: string): boolean => log.read.has(path) || log.listed.has(path) || (log.looked.get(path) ?? 'missing') !== 'missing';

  for (const [index, layer] of layers.entries()) {
    for (const entry of layer) {
      // a hard link takes its target's size and mode in the squashed tree: what a cataloguer would be
      // given cannot be told from the link entry alone
      if (entry.type === 'hardlink') return true;
      const name = baseName(entry.path);
      const dir = parentPath(entry.path);
      // the squash creates missing parent folders: a parent looked up as anything but a folder changes
      // and adds to every folder it creates: a listed folder above changes too
      for (let up = dir; ; up = parentPath(up)) {
        const shape = log.looked.get(up);
        if ((shape !== undefined && shape !== 'dir') || log.listed.has(up)) return true;
        if (up === '/') break;
      }
      if (name === OPAQUE) {
        // empties `dir` of everything from lower layers
        if (holds(dir) || log.listed.has(dir)) return true;
        continue;
      }
      if (name.startsWith(`${WHITEOUT}${WHITEOUT}`)) continue; // other AUFS metadata: the squash ignores it
      if (name.startsWith(WHITEOUT)) {
        const target = joinPath(dir, name.slice(WHITEOUT.length));
        if (consulted(target) || holds(target) || log.listed.has(dir)) return true;
        continue;
      }
      if (wanted(entry, index)) return true;
      if (log.listed.has(dir) || log.read.has(entry.path)) return true;
      const before = log.looked.get(entry.path);
      if (before !== undefined && before !== shapeOf(entry)) return true;
      // a file or link where a folder held consulted paths hides them
      if (entry.type !== 'dir' && holds(entry.path)) return true;
    }
  }
  return false;
}
