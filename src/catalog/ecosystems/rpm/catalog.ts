import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { isSqlite, readBerkeleyDbBlobs, readNdbBlobs, type BlobsResult } from './parse-databases.ts';
import { parseHeaderBlob, parseSourceRpm, type RpmHeader } from './parse-header.ts';

/** rpm-db (index.ts): the rpm database in any of its three formats (SQLite, NDB, BerkeleyDB). */
export async function catalogRpmDb(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const unknowns: Unknown[] = [];
  const namespace = ctx.distro?.id ?? 'redhat';
  const distroQualifier = ctx.distro?.versionId !== undefined ? `${ctx.distro.id}-${ctx.distro.versionId}` : undefined;
  for (const file of ctx.files) {
    let blobs: BlobsResult;
    try {
      const bytes = await ctx.tree.readFile(file.path);
      if (isSqlite(bytes)) {
        if (ctx.ports.sqlite === undefined) {
          unknowns.push(unknownAt(id, file, 'rpmdb.sqlite found but no SQLite reader is configured'));
          continue;
        }
        const rows = await ctx.ports.sqlite.query(bytes, 'SELECT blob FROM Packages ORDER BY hnum');
        blobs = { blobs: rows.map((r) => r['blob']).filter((b): b is Uint8Array => b instanceof Uint8Array), problems: [] };
      } else if (baseName(file.path) === 'Packages.db') blobs = readNdbBlobs(bytes);
      else blobs = readBerkeleyDbBlobs(bytes);
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable rpm database: ${describeError(error)}`));
      continue;
    }
    for (const problem of blobs.problems) unknowns.push(unknownAt(id, file, `rpm database: ${problem}`));
    const found: { header: RpmHeader; pkg: Package }[] = [];
    for (const blob of blobs.blobs) {
      if (blob.length <= 8) continue; // Berkeley DB record 0: rpm's next-instance counter, not a header
      const parsed = parseHeaderBlob(blob);
      if (!parsed.ok) {
        unknowns.push(unknownAt(id, file, parsed.reason));
        continue;
      }
      const h = parsed.value;
      if (h.name === 'gpg-pubkey') continue; // imported signing keys, not software
      const version = `${h.version}-${h.release}`;
      const full = h.epoch !== undefined ? `${h.epoch}:${version}` : version;
      const source = h.sourceRpm !== undefined ? parseSourceRpm(h.sourceRpm) : undefined;
      const pkg: Package = {
        id: `rpm:${h.name}:${h.arch ?? ''}@${full}`,
        name: h.name,
        version: full,
        ecosystem: 'rpm',
        purl: buildPurl('rpm', namespace, h.name, version, {
          arch: h.arch,
          epoch: h.epoch !== undefined ? String(h.epoch) : undefined,
          distro: distroQualifier,
          upstream: h.sourceRpm,
        }),
        licenses: normaliseLicenses(h.license !== undefined ? [h.license] : []),
        ...(source !== undefined ? { source: { name: source.name, version: `${source.version}-${source.release}` } } : {}),
        ...(h.arch !== undefined ? { arch: h.arch } : {}),
        locations: [locationOf(file)],
        foundBy: id,
        ...(h.vendor !== undefined ? { metadata: { vendor: h.vendor } } : {}),
      };
      packages.push(pkg);
      found.push({ header: h, pkg });
      for (const path of h.files) relationships.push({ kind: 'owns', from: pkg.id, to: path });
    }
    const provider = new Map<string, Package>();
    for (const { header, pkg } of found) {
      provider.set(header.name, pkg);
      for (const p of header.provides) if (!provider.has(p)) provider.set(p, pkg);
    }
    for (const { header, pkg } of found) {
      for (const req of header.requires) {
        const to = provider.get(req);
        if (to !== undefined && to !== pkg) relationships.push({ kind: 'depends-on', from: pkg.id, to: to.id });
      }
    }
  }
  return { packages, relationships, unknowns };
}
