import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { decodeText, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { dependencyName, parseInstalledDb, type ApkRecord } from './parse-installed-db.ts';

const ID = 'apk-db';

export const apkDb = {
  id: ID,
  version: 1,
  tags: ['os', 'installed'],
  scope: 'squashed',

  wants(entry: FileEntry) {
    return entry.path.endsWith('/lib/apk/db/installed') && entry.type !== 'dir';
  },

  async catalog(ctx) {
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
        unknowns.push(unknownAt(ID, file, `unreadable apk database: ${describeError(error)}`));
        continue;
      }
      for (const problem of parsed.problems) unknowns.push(unknownAt(ID, file, `unparseable apk record: ${problem}`));
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
          foundBy: ID,
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
  },
} as const satisfies Cataloguer;

export const cataloguers = [apkDb] as const;
