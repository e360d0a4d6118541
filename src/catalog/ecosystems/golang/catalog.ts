import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, PackageLocation, Relationship } from '../../model.ts';
import { parseBuildInfo, type BuildInfoResult } from './parse-buildinfo.ts';
import { goPurl } from './parse-go-mod.ts';
import { GO_BUILDINFO_PROBE } from './probes.ts';

/** Decodes a probe result: the parsed build info, or 'needs-file' (the pre-1.18 format needs the whole file). */
export function decodeBuildInfoProbe(result: Buffer): BuildInfoResult | { readonly ok: 'needs-file' } {
  const tag = result.subarray(0, 1).toString('latin1');
  if (tag === 'A') return { ok: 'absent' };
  if (tag === 'P') return { ok: 'needs-file' };
  if (tag === 'K') return parseBuildInfo(result.subarray(1));
  if (tag === 'E') return { ok: false, reason: result.subarray(1).toString('utf8') };
  return { ok: false, reason: 'unreadable build-info probe result' };
}

function goPackage(foundBy: string, name: string, version: string, location: PackageLocation, metadata: Record<string, string>): Package {
  return {
    id: `golang:${name}@${version}:${location.path}`,
    name,
    version,
    ecosystem: 'golang',
    purl: name === 'stdlib' ? buildPurl('golang', undefined, 'stdlib', version.replace(/^go/, '')) : goPurl(name, version),
    licenses: [],
    locations: [location],
    foundBy,
    metadata,
  };
}

/** go-binary (index.ts): the build info of each candidate executable, from its probe or the file. */
export async function catalogGoBinary(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const unknowns: Unknown[] = [];
  for (const file of ctx.files) {
    const probed = ctx.tree.probe?.(file.path, GO_BUILDINFO_PROBE.name);
    let parsed = probed === undefined ? undefined : decodeBuildInfoProbe(probed);
    if (parsed === undefined || parsed.ok === 'needs-file') {
      // not probed (a folder source) or the old pointer format: the whole file, one at a time
      let bytes: Buffer;
      try {
        bytes = await ctx.tree.readFile(file.path);
      } catch (error) {
        unknowns.push(unknownAt(id, file, `unreadable executable: ${describeError(error)}`));
        continue;
      }
      parsed = parseBuildInfo(bytes);
    }
    if (parsed.ok === 'absent') continue; // not a Go binary
    if (parsed.ok === false) {
      unknowns.push(unknownAt(id, file, parsed.reason));
      continue;
    }
    const info = parsed.value;
    const location = locationOf(file);
    const meta = { goVersion: info.goVersion, ...(info.main !== undefined ? { mainModule: info.main.path } : {}) };
    const stdlib = goPackage(id, 'stdlib', info.goVersion, location, meta);
    packages.push(stdlib);
    const main = info.main !== undefined ? goPackage(id, info.main.path, info.main.version === '' ? '(devel)' : info.main.version, location, meta) : undefined;
    if (main !== undefined) packages.push(main);
    for (const dep of info.deps) {
      const pkg = goPackage(id, dep.path, dep.version, location, {
        ...meta,
        ...(dep.sum !== undefined ? { h1Digest: dep.sum } : {}),
        ...(dep.replacedFrom !== undefined ? { replaces: `${dep.replacedFrom.path}@${dep.replacedFrom.version}` } : {}),
      });
      packages.push(pkg);
      if (main !== undefined) relationships.push({ kind: 'depends-on', from: main.id, to: pkg.id });
    }
    if (main !== undefined) relationships.push({ kind: 'depends-on', from: main.id, to: stdlib.id });
  }
  return { packages, relationships, unknowns };
}
