import type { Unknown } from '../../core/result.ts';
import type { FileEntry, FileTree } from '../../image/types.ts';
import type { CatalogContext, CatalogOutput } from '../cataloguer.ts';
import type { Package, Relationship } from '../model.ts';
import type { DeclaredResult, DeclaredSpec } from './declared-spec.ts';
import { normaliseLicenses } from './license.ts';
import { baseName, decodeText, describeError, parentPath, locationOf, unknownAt } from './text.ts';

async function readSibling(tree: FileTree, lock: FileEntry, name: string): Promise<string | undefined> {
  const dir = parentPath(lock.path);
  const path = `${dir === '/' ? '' : dir}/${name}`;
  const entry = tree.get(path);
  if (entry === undefined || (entry.type !== 'file' && entry.type !== 'hardlink')) return undefined;
  return decodeText(await tree.readFile(path));
}

/** The catalog of a declaredCataloguer (declared.ts): each matching file through `parser`. */
export async function catalogDeclared<M>(ctx: CatalogContext, spec: DeclaredSpec<M>, parser: M): Promise<CatalogOutput> {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const unknowns: Unknown[] = [];
  const seen = new Set<string>(); // package ids so far, across files
  for (const file of ctx.files) {
    let parsed: DeclaredResult;
    try {
      const text = decodeText(await ctx.tree.readFile(file.path));
      parsed = await spec.parse(parser, text, { path: file.path, sibling: (name) => readSibling(ctx.tree, file, name) });
    } catch (error) {
      unknowns.push(unknownAt(spec.id, file, `unreadable ${baseName(file.path)}: ${describeError(error)}`));
      continue;
    }
    if (!parsed.ok) {
      unknowns.push(unknownAt(spec.id, file, parsed.reason));
      continue;
    }
    for (const reason of parsed.unknowns ?? []) unknowns.push(unknownAt(spec.id, file, reason));
    const location = locationOf(file);
    const byKey = new Map<string, Package>();
    for (const entry of parsed.entries) {
      const pkg: Package = {
        id: `${spec.ecosystem}:${entry.name}@${entry.version}:${file.path}`,
        name: entry.name,
        version: entry.version,
        ecosystem: spec.ecosystem,
        purl: entry.purl,
        licenses: normaliseLicenses(entry.licenses ?? []),
        locations: [location],
        foundBy: spec.id,
        ...(entry.metadata !== undefined && Object.keys(entry.metadata).length > 0 ? { metadata: entry.metadata } : {}),
      };
      if (!byKey.has(entry.key ?? entry.name)) byKey.set(entry.key ?? entry.name, pkg);
      if (seen.has(pkg.id)) continue;
      seen.add(pkg.id);
      packages.push(pkg);
    }
    for (const entry of parsed.entries) {
      const from = byKey.get(entry.key ?? entry.name);
      if (from === undefined) continue;
      for (const dep of entry.dependsOn ?? []) {
        const to = byKey.get(dep);
        if (to !== undefined && to.id !== from.id) relationships.push({ kind: 'depends-on', from: from.id, to: to.id });
      }
    }
  }
  return { packages, relationships, unknowns };
}
