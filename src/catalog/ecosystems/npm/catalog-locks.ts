// The lockfile cataloguers (folder sources only: 'declared'), apart from catalog.ts so that an image's
// catalogue, which runs npm-installed alone, loads none of their parsers (yaml among them).
import { isJsonObject } from '../../../core/json.ts';
import type { Unknown } from '../../../core/result.ts';
import type { FileEntry, FileTree } from '../../../image/types.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { decodeText, describeError, parentPath, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { npmPackage, readText } from './catalog.ts';
import { parsePackageLock } from './parse-package-lock.ts';
import { parsePnpmLock } from './parse-pnpm-lock.ts';
import { parseYarnLock, specName } from './parse-yarn-lock.ts';

type LockParse = { readonly ok: true; readonly entries: readonly unknown[] } | { readonly ok: false; readonly reason: string };

/** What a lockfile's handler adds to: the cataloguer's output being built. */
interface LockOutput {
  readonly packages: Package[];
  readonly relationships: Relationship[];
}

/**
 * The output of one lockfile cataloguer: reads and parses each lockfile in turn, recording an Unknown
 * for each it cannot read or parse, and hands the rest to `each`, which adds packages and relationships.
 */
async function catalogLocks<R extends LockParse>(
  ctx: CatalogContext,
  id: string,
  label: string,
  parse: (text: string) => R,
  each: (file: FileEntry, parsed: Extract<R, { ok: true }>, out: LockOutput) => void | Promise<void>,
): Promise<CatalogOutput> {
  const out = { packages: [] as Package[], relationships: [] as Relationship[] };
  const unknowns: Unknown[] = [];
  for (const file of ctx.files) {
    let parsed: R;
    try {
      parsed = parse(await readText(ctx.tree, file));
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable ${label}: ${describeError(error)}`));
      continue;
    }
    if (!parsed.ok) {
      unknowns.push(unknownAt(id, file, parsed.reason));
      continue;
    }
    await each(file, parsed as Extract<R, { ok: true }>, out);
  }
  return { ...out, unknowns };
}

/** npmPackageLock (index.ts): package-lock.json / npm-shrinkwrap.json. */
export async function catalogNpmPackageLock(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  return catalogLocks(ctx, id, 'lockfile', parsePackageLock, (file, parsed, { packages, relationships }) => {
    const byPath = new Map<string, Package>();
    const kept = parsed.entries.filter((e) => !e.dev);
    for (const entry of kept) {
      const pkg = npmPackage(entry.name, entry.version, entry.licenses, locationOf(file), id);
      packages.push(pkg);
      byPath.set(entry.path, pkg);
    }
    for (const entry of kept) {
      const from = byPath.get(entry.path) as Package;
      for (const dep of entry.dependencies) {
        let dir = entry.path;
        for (;;) {
          const hit = byPath.get(`${dir === '' ? '' : `${dir}/`}node_modules/${dep}`);
          if (hit !== undefined) {
            if (hit !== from) relationships.push({ kind: 'depends-on', from: from.id, to: hit.id });
            break;
          }
          if (dir === '') break;
          const index = dir.lastIndexOf('/node_modules/');
          dir = index < 0 ? '' : dir.slice(0, index);
        }
      }
    }
  });
}

/** yarnLock (index.ts): yarn.lock. */
export async function catalogYarnLock(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  return catalogLocks(ctx, id, 'yarn.lock', parseYarnLock, async (file, parsed, { packages, relationships }) => {
    const bySpec = new Map<string, (typeof parsed.entries)[number]>();
    for (const entry of parsed.entries) for (const spec of entry.specs) bySpec.set(spec, entry);
    const manifest = await siblingManifest(ctx.tree, file);
    let kept = parsed.entries;
    if (manifest !== undefined) {
      const reached = new Set<(typeof parsed.entries)[number]>();
      const queue = manifest.map(([name, range]) => bySpec.get(`${name}@${range}`) ?? bySpec.get(`${name}@npm:${range}`));
      while (queue.length > 0) {
        const next = queue.pop();
        if (next === undefined || reached.has(next)) continue;
        reached.add(next);
        for (const dep of next.dependencies) queue.push(bySpec.get(dep) ?? bySpec.get(dep.replace('@npm:', '@')));
      }
      kept = parsed.entries.filter((e) => reached.has(e));
    }
    // this lockfile's packages by entry and by name@version (another lockfile's never link here)
    const pkgOf = new Map<(typeof parsed.entries)[number], Package>();
    const byNameVersion = new Map<string, Package>();
    for (const entry of kept) {
      const pkg = npmPackage(entry.name, entry.version, [], locationOf(file), id);
      if (byNameVersion.has(`${entry.name}@${entry.version}`)) continue; // the same package under another spec of this file
      byNameVersion.set(`${entry.name}@${entry.version}`, pkg);
      packages.push(pkg);
      pkgOf.set(entry, pkg);
    }
    for (const [entry, pkg] of pkgOf) {
      for (const dep of entry.dependencies) {
        const target = bySpec.get(dep) ?? bySpec.get(dep.replace('@npm:', '@'));
        const to = target === undefined ? undefined : pkgOf.get(target) ?? byNameVersion.get(`${specName(dep)}@${target.version}`);
        if (to !== undefined && to !== pkg) relationships.push({ kind: 'depends-on', from: pkg.id, to: to.id });
      }
    }
  });
}

/** Production dependency [name, range] pairs of the package.json beside a lockfile; undefined when absent. */
async function siblingManifest(tree: FileTree, lock: FileEntry): Promise<[string, string][] | undefined> {
  const path = `${parentPath(lock.path) === '/' ? '' : parentPath(lock.path)}/package.json`;
  if (tree.get(path) === undefined) return undefined;
  try {
    const doc = JSON.parse(decodeText(await tree.readFile(path))) as Record<string, unknown>;
    const pairs: [string, string][] = [];
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = doc[field];
      // an array here is malformed: its indexes are not package names
      if (isJsonObject(deps)) for (const [name, range] of Object.entries(deps)) pairs.push([name, String(range)]);
    }
    return pairs;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** pnpmLock (index.ts): pnpm-lock.yaml. */
export async function catalogPnpmLock(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  return catalogLocks(ctx, id, 'pnpm-lock.yaml', parsePnpmLock, (file, parsed, { packages, relationships }) => {
    const byKey = new Map<string, Package>();
    for (const entry of parsed.entries) {
      if (entry.dev === true) continue;
      const pkg = npmPackage(entry.name, entry.version, [], locationOf(file), id);
      byKey.set(`${entry.name}@${entry.version}`, pkg);
      packages.push(pkg);
    }
    for (const entry of parsed.entries) {
      const from = byKey.get(`${entry.name}@${entry.version}`);
      if (from === undefined) continue;
      for (const dep of entry.dependencies) {
        const to = byKey.get(`${dep.name}@${dep.version}`);
        if (to !== undefined && to !== from) relationships.push({ kind: 'depends-on', from: from.id, to: to.id });
      }
    }
  });
}
