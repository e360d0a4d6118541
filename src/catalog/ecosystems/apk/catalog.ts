import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { decodeText, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { dependencyName, parseInstalledDb, type ApkRecord } from './parse-installed-db.ts';

/** apk-db (index.ts): lib/apk/db/installed, with origins, file ownership and depends-on through provides. */
export async function catalogApkDb(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const unknowns: Unknown[] = [];
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const found: { record: ApkRecord; pkg: Package }[] = [];
  const namespace = ctx.distro?.id ?? 'alpine';
  const distroQualifier = ctx.distro?.versionId !== undefined ? `${ctx.distro.id}-${ctx.distro.versionId}` : undefined;
  for (const file of ctx.files) {
    let parsed;
    try {
      parsed = parseInstalledDb(decodeText(await ctx.tree.readFile(file.path)));
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable apk database: ${describeError(error)}`));
      continue;
    }
    for (const problem of parsed.problems) unknowns.push(unknownAt(id, file, `unparseable apk record: ${problem}`));
    for (const record of parsed.records) {
      const pkg: Package = {
        id: `apk:${record.name}:${record.arch ?? ''}@${record.version}`,
        name: record.name,
        version: record.version,
        ecosystem: 'apk',
        purl: buildPurl('apk', namespace, record.name, record.version, {
          arch: record.arch,
          distro: distroQualifier,
          upstream: record.origin !== undefined && record.origin !== record.name ? record.origin : undefined,
        }),
        licenses: normaliseLicenses(record.license === undefined ? [] : [record.license.replace(/\s+AND\s+/g, ' AND ')]),
        source: { name: record.origin ?? record.name, version: record.version },
        ...(record.arch !== undefined ? { arch: record.arch } : {}),
        locations: [locationOf(file)],
        foundBy: id,
      };
      packages.push(pkg);
      found.push({ record, pkg });
      for (const path of record.files) relationships.push({ kind: 'owns', from: pkg.id, to: path });
    }
  }
  const provider = new Map<string, Package>();
  for (const { record, pkg } of found) {
    provider.set(record.name, pkg);
    for (const p of record.provides) provider.set(dependencyName(p), pkg);
  }
  for (const { record, pkg } of found) {
    for (const dep of record.depends) {
      const target = provider.get(dependencyName(dep));
      if (target !== undefined && target !== pkg) relationships.push({ kind: 'depends-on', from: pkg.id, to: target.id });
    }
  }
  return { packages, relationships, unknowns };

}
