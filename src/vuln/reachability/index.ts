/**
 * Per-package reachability from an OS-level walk (see os.ts) and, for npm, an import walk (npm.ts).
 * 'no' only when the walk was fully resolved and no file the package owns was reached.
 */
import type { Tri } from '../../core/result.ts';
import type { Catalog } from '../../catalog/model.ts';
import { parentPath } from '../../image/paths.ts';
import type { NpmReach } from './npm.ts';
import type { PythonReach } from './python.ts';
import { evidencePath, type OsReachability, type ReachTree } from './os.ts';

export { reachableFiles, evidencePath, shellCommands, type EntryConfig, type OsReachability, type ReachEntry, type ReachStep, type ReachTree } from './os.ts';
export { readElfDynamic, type ElfDynamic } from './elf.ts';
export { npmLoadedPackages, type NpmReach } from './npm.ts';
export { pythonLoadedDistributions, type PythonReach } from './python.ts';

export interface PackageReach {
  readonly reachable: Tri;
  readonly evidence: readonly string[];
}

const OS_ECOSYSTEMS = new Set(['deb', 'apk', 'rpm']);
const INTERPRETERS: Readonly<Record<string, RegExp>> = { npm: /\/(node|nodejs)$/, pypi: /\/python[0-9.]*$/ };

/**
 * The interpreter of each language ecosystem (npm: node, pypi: python) that the entry point reaches,
 * found in one pass over the reached files; ecosystems whose interpreter is not reached are absent.
 */
export function reachedInterpreters(os: Pick<OsReachability, 'files'>): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const file of os.files.keys()) {
    for (const [ecosystem, re] of Object.entries(INTERPRETERS)) if (!found.has(ecosystem) && re.test(file)) found.set(ecosystem, file);
  }
  return found;
}

/**
 * Reachability of every package: OS packages by the files they own; language packages by their
 * own file (Go binaries), by the imports the entry script loads (npm, when `npmLoaded` is given),
 * else 'no' when no interpreter for them is reachable and 'unknown' otherwise.
 */
export function assessPackages(
  catalog: Pick<Catalog, 'packages' | 'relationships'>,
  os: OsReachability,
  tree: Pick<ReachTree, 'resolve'>,
  npm?: Pick<NpmReach, 'loaded' | 'dynamic' | 'entry'>,
  python?: Pick<PythonReach, 'loaded' | 'dynamic' | 'entry'>,
): Map<string, PackageReach> {
  const out = new Map<string, PackageReach>();
  const argv = JSON.stringify(os.argv);
  if (os.status === 'unknown') {
    for (const p of catalog.packages) out.set(p.id, { reachable: 'unknown', evidence: [os.reason ?? 'the entry point cannot be resolved'] });
    return out;
  }
  const owned = new Map<string, string[]>();
  for (const r of catalog.relationships) {
    if (r.kind !== 'owns') continue;
    const list = owned.get(r.from);
    if (list === undefined) owned.set(r.from, [r.to]);
    else list.push(r.to);
  }
  const canonical = (path: string): string | undefined => {
    const e = tree.resolve(path);
    return e === undefined || e.type === 'dir' ? undefined : e.path;
  };
  const reachedBy = (paths: readonly string[]): string | undefined => {
    for (const path of paths) {
      if (os.files.has(path)) return path;
      const c = canonical(path);
      if (c !== undefined && os.files.has(c)) return c;
    }
    return undefined;
  };
  const interpreters = reachedInterpreters(os);
  for (const pkg of catalog.packages) {
    if (OS_ECOSYSTEMS.has(pkg.ecosystem)) {
      const paths = owned.get(pkg.id);
      if (paths === undefined || paths.length === 0) {
        out.set(pkg.id, { reachable: 'unknown', evidence: ['the package lists no files'] });
        continue;
      }
      const hit = reachedBy(paths);
      out.set(
        pkg.id,
        hit !== undefined
          ? { reachable: 'yes', evidence: evidencePath(os.files, hit) }
          : { reachable: 'no', evidence: [`none of the ${String(paths.length)} files of ${pkg.name} is reached from ENTRYPOINT+CMD ${argv} (${String(os.files.size)} files reached via ELF/shebang)`] },
      );
      continue;
    }
    const own = reachedBy(pkg.locations.map((l) => l.path));
    if (own !== undefined) {
      out.set(pkg.id, { reachable: 'yes', evidence: evidencePath(os.files, own) });
      continue;
    }
    if ((pkg.ecosystem === 'golang' || pkg.ecosystem === 'binary') && pkg.locations.length > 0) {
      // Compiled into an executable: it runs only if that executable does.
      out.set(pkg.id, { reachable: 'no', evidence: [`${pkg.locations.map((l) => l.path).join(', ')} is not reached from ENTRYPOINT+CMD ${argv}`] });
      continue;
    }
    if (INTERPRETERS[pkg.ecosystem] !== undefined && !interpreters.has(pkg.ecosystem)) {
      out.set(pkg.id, { reachable: 'no', evidence: [`no ${pkg.ecosystem === 'npm' ? 'node' : 'python'} interpreter is reached from ENTRYPOINT+CMD ${argv}`] });
      continue;
    }
    if (pkg.ecosystem === 'npm' && npm !== undefined) {
      const chain = pkg.locations.map((l) => npm.loaded.get(l.path)).find((c) => c !== undefined);
      if (chain !== undefined) out.set(pkg.id, { reachable: 'yes', evidence: chain });
      else if (npm.dynamic.length > 0) out.set(pkg.id, { reachable: 'unknown', evidence: [`not required statically from ${npm.entry}, but ${npm.dynamic[0] ?? ''} requires a computed name`] });
      else out.set(pkg.id, { reachable: 'no', evidence: [`${pkg.name} is never required from ${npm.entry} (static import walk)`] });
      continue;
    }
    if (pkg.ecosystem === 'pypi' && python !== undefined) {
      const meta = pkg.locations.map((l) => parentPath(l.path)).find((d) => python.loaded.has(d));
      const chain = meta === undefined ? undefined : python.loaded.get(meta);
      if (chain !== undefined) out.set(pkg.id, { reachable: 'yes', evidence: chain });
      else if (python.dynamic.length > 0) out.set(pkg.id, { reachable: 'unknown', evidence: [`not imported statically from ${python.entry}, but ${python.dynamic[0] ?? ''} imports a computed name`] });
      else out.set(pkg.id, { reachable: 'no', evidence: [`${pkg.name} is never imported from ${python.entry} (static import walk)`] });
      continue;
    }
    out.set(pkg.id, { reachable: 'unknown', evidence: [interpreters.has(pkg.ecosystem) ? `${interpreters.get(pkg.ecosystem) ?? ''} is reached; imports were not analysed` : 'no reachability analysis for this package type'] });
  }
  return out;
}
