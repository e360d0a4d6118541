import type { Unknown } from '../../../core/result.ts';
import type { FileEntry, FileTree } from '../../../image/types.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, decodeText, describeError, parentPath, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { parseCopyrightLicenses, parseFileList, parseStatus, type DpkgRecord } from './parse-status.ts';
import { COPYRIGHT, INFO_LIST, isStatusD, rootOf } from './paths.ts';

/** dpkg-status (index.ts): status files (and distroless status.d), file lists, copyright licences, Depends edges. */
export async function catalogDpkgStatus(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const unknowns: Unknown[] = [];
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const lists = new Map<string, FileEntry>(); // 'pkg' or 'pkg:arch' → info/*.list
  const md5sums = new Map<string, FileEntry>(); // distroless status.d/<pkg>.md5sums
  const copyrights = new Map<string, FileEntry>();
  const statusFiles: FileEntry[] = [];
  for (const file of ctx.files) {
    const name = baseName(file.path);
    const root = rootOf(file.path);
    if (COPYRIGHT.test(file.path)) copyrights.set(`${root}|${file.path.split('/').at(-2) as string}`, file);
    else if (INFO_LIST.test(file.path)) lists.set(`${root}|${name.slice(0, -5)}`, file);
    else if (isStatusD(file.path)) {
      if (name.endsWith('.md5sums')) md5sums.set(`${root}|${name.slice(0, -8)}`, file);
      else if (!name.includes('.')) statusFiles.push(file);
      else if (!/\.(preinst|postinst|prerm|postrm|conffiles|triggers|shlibs|symbols|templates|config)$/.test(name)) statusFiles.push(file);
    } else statusFiles.push(file);
  }
  const namespace = ctx.distro?.id === 'ubuntu' ? 'ubuntu' : 'debian';
  const distroQualifier = ctx.distro?.versionId !== undefined ? `${ctx.distro.id}-${ctx.distro.versionId}` : undefined;
  const found: { record: DpkgRecord; pkg: Package; root: string }[] = [];
  for (const file of statusFiles) {
    let parsed;
    try {
      parsed = parseStatus(decodeText(await ctx.tree.readFile(file.path)));
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable dpkg status: ${describeError(error)}`));
      continue;
    }
    for (const problem of parsed.problems) unknowns.push(unknownAt(id, file, `unparseable dpkg stanza: ${problem}`));
    if (parsed.records.length === 0 && parsed.problems.length === 0 && isStatusD(file.path) && file.size > 0) {
      unknowns.push(unknownAt(id, file, 'dpkg status.d file holds no package'));
    }
    for (const record of parsed.records) {
      const root = rootOf(file.path);
      const licenses = await readLicenses(id, ctx.tree, copyrights.get(`${root}|${record.name}`), unknowns);
      const arch = record.architecture;
      const pkg: Package = {
        id: `deb:${record.name}:${arch ?? ''}@${record.version}`,
        name: record.name,
        version: record.version,
        ecosystem: 'deb',
        purl: buildPurl('deb', namespace, record.name, record.version, {
          arch,
          distro: distroQualifier,
          upstream: record.sourceName !== record.name || record.sourceVersion !== record.version
            ? (record.sourceVersion !== record.version ? `${record.sourceName}@${record.sourceVersion}` : record.sourceName)
            : undefined,
        }),
        licenses,
        source: { name: record.sourceName, version: record.sourceVersion },
        ...(arch !== undefined ? { arch } : {}),
        locations: [locationOf(file)],
        foundBy: id,
        ...(record.maintainer !== undefined ? { metadata: { maintainer: record.maintainer } } : {}),
      };
      packages.push(pkg);
      found.push({ record, pkg, root });
    }
  }
  // file ownership: info/<pkg>.list or info/<pkg>:<arch>.list; distroless: status.d/<pkg>.md5sums
  for (const { record, pkg, root } of found) {
    const list = lists.get(`${root}|${record.name}:${record.architecture ?? ''}`) ?? lists.get(`${root}|${record.name}`);
    const sums = md5sums.get(`${root}|${record.name}`);
    const source = list ?? sums;
    const paths = new Set(record.conffiles);
    if (source !== undefined) {
      try {
        for (const path of parseFileList(decodeText(await ctx.tree.readFile(source.path)), source === sums)) paths.add(path);
      } catch (error) {
        unknowns.push(unknownAt(id, source, `unreadable dpkg file list: ${describeError(error)}`));
      }
    }
    for (const path of [...paths].sort()) {
      const entry = canonicalEntry(ctx.tree, `${root}${path}`);
      if (entry !== undefined && entry.type !== 'dir') relationships.push({ kind: 'owns', from: pkg.id, to: entry.path });
    }
  }
  relationships.push(...dependencyEdges(found));
  return { packages, relationships, unknowns };
}

/** The entry at `path`, looking through symlinked parent folders (usrmerge: /bin → /usr/bin lists /bin/ls). */
function canonicalEntry(tree: FileTree, path: string): FileEntry | undefined {
  const direct = tree.get(path);
  if (direct !== undefined) return direct;
  const parent = tree.resolve(parentPath(path));
  if (parent === undefined || parent.type !== 'dir') return undefined;
  return tree.get(`${parent.path === '/' ? '' : parent.path}/${baseName(path)}`);
}

async function readLicenses(id: string, tree: { readFile(path: string): Promise<Buffer> }, file: FileEntry | undefined, unknowns: Unknown[]): Promise<string[]> {
  if (file === undefined) return [];
  try {
    return normaliseLicenses(parseCopyrightLicenses(decodeText(await tree.readFile(file.path))));
  } catch (error) {
    unknowns.push(unknownAt(id, file, `unreadable copyright file: ${describeError(error)}`));
    return [];
  }
}

/** Depends/Pre-Depends → depends-on edges, choosing the first alternative installed (by name or Provides). */
function dependencyEdges(found: readonly { record: DpkgRecord; pkg: Package }[]): Relationship[] {
  const byName = new Map<string, Package[]>();
  const add = (name: string, pkg: Package): void => {
    const list = byName.get(name) ?? [];
    if (!list.includes(pkg)) list.push(pkg);
    byName.set(name, list);
  };
  for (const { record, pkg } of found) {
    add(record.name, pkg);
    for (const provided of record.provides) add(provided, pkg);
  }
  const edges: Relationship[] = [];
  for (const { record, pkg } of found) {
    for (const alternatives of [...record.preDepends, ...record.depends]) {
      const target = alternatives.map((name) => byName.get(name)).find((list) => list !== undefined);
      for (const to of target ?? []) if (to !== pkg) edges.push({ kind: 'depends-on', from: pkg.id, to: to.id });
    }
  }
  return edges;
}
