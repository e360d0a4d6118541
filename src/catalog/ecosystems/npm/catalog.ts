import type { Unknown } from '../../../core/result.ts';
import type { FileEntry, FileTree } from '../../../image/types.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { decodeText, describeError, parentPath, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, PackageLocation, Relationship } from '../../model.ts';
import { npmPurl, parsePackageJson } from './parse-package-json.ts';

export function npmPackage(name: string, version: string, licenses: readonly string[], location: PackageLocation, foundBy: string): Package {
  return {
    id: `npm:${name}@${version}:${location.path}`,
    name,
    version,
    ecosystem: 'npm',
    purl: npmPurl(name, version),
    licenses: normaliseLicenses(licenses),
    locations: [location],
    foundBy,
  };
}

export async function readText(tree: FileTree, entry: FileEntry): Promise<string> {
  return decodeText(await tree.readFile(entry.path));
}

/** npmInstalled (index.ts): installed packages. */
export async function catalogNpmInstalled(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const packages: Package[] = [];
  const unknowns: Unknown[] = [];
  const byDir = new Map<string, { pkg: Package; deps: readonly string[] }>();
  for (const file of ctx.files) {
    let text: string;
    try {
      text = await readText(ctx.tree, file);
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable package.json: ${describeError(error)}`));
      continue;
    }
    const parsed = parsePackageJson(text);
    if (!parsed.ok) {
      unknowns.push(unknownAt(id, file, parsed.reason));
      continue;
    }
    const pkg = npmPackage(parsed.value.name, parsed.value.version, parsed.value.licenses, locationOf(file), id);
    packages.push(pkg);
    byDir.set(parentPath(file.path), { pkg, deps: [...parsed.value.dependencies, ...parsed.value.optionalDependencies] });
  }
  const relationships: Relationship[] = [];
  for (const [dir, { pkg, deps }] of byDir) {
    for (const dep of deps) {
      const target = resolveNode(byDir, dir, dep);
      if (target !== undefined && target !== pkg) relationships.push({ kind: 'depends-on', from: pkg.id, to: target.id });
    }
  }
  return { packages, relationships, unknowns };
}

/** Node's lookup: <dir>/node_modules/<dep>, then each ancestor's node_modules. */
function resolveNode(byDir: ReadonlyMap<string, { pkg: Package }>, from: string, dep: string): Package | undefined {
  let dir = from;
  for (;;) {
    const hit = byDir.get(`${dir === '/' ? '' : dir}/node_modules/${dep}`);
    if (hit !== undefined) return hit.pkg;
    if (dir === '/' || dir === '') return undefined;
    dir = parentPath(dir);
  }
}
