import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, PackageLocation, Relationship } from '../../model.ts';
import { goMod } from './declared.ts';
import type { ProbeSpec } from '../../../image/probe.ts';
import { isExecutable } from '../../../image/want.ts';
import { parseBuildInfo, type BuildInfoResult } from './parse-buildinfo.ts';
import { goPurl } from './parse-go-mod.ts';
import { createBuildInfoScanner } from './scan-buildinfo.ts';

const ID = 'go-binary';
/** Go binaries are never this small. */
const MIN_SIZE = 512 * 1024;
/** Bigger executables are still probed (the probe keeps only the build info); this bounds the fallback read. */
const MAX_SIZE = 4 * 1024 * 1024 * 1024;

const isCandidate = (entry: FileEntry): boolean =>
  isExecutable(entry) && entry.size >= MIN_SIZE && entry.size <= MAX_SIZE;

/**
 * The build-info probe: the image reader streams every candidate executable through the build-info
 * scanner, which keeps the build info's own bytes (a few KiB) and nothing else, whatever the
 * executable's size. Result: one tag byte, then for 'K' the kept bytes (parseBuildInfo reads them).
 */
export const GO_BUILDINFO_PROBE: ProbeSpec = {
  name: 'go-buildinfo@1',
  wants: isCandidate,
  create() {
    const scanner = createBuildInfoScanner();
    return {
      get done() {
        return scanner.done;
      },
      write(chunk) {
        scanner.write(chunk);
      },
      finish() {
        const kept = scanner.kept();
        if (kept !== undefined) return Buffer.concat([Buffer.from('K'), kept]);
        const result = scanner.finish();
        if (result.ok === 'absent') return Buffer.from('A');
        if (result.ok === 'needs-file') return Buffer.from('P');
        return Buffer.concat([Buffer.from('E'), Buffer.from(result.ok === false ? result.reason : 'no build info kept')]);
      },
    };
  },
};

/** Decodes a probe result: the parsed build info, or 'needs-file' (the pre-1.18 format needs the whole file). */
export function decodeBuildInfoProbe(result: Buffer): BuildInfoResult | { readonly ok: 'needs-file' } {
  const tag = result.subarray(0, 1).toString('latin1');
  if (tag === 'A') return { ok: 'absent' };
  if (tag === 'P') return { ok: 'needs-file' };
  if (tag === 'K') return parseBuildInfo(result.subarray(1));
  if (tag === 'E') return { ok: false, reason: result.subarray(1).toString('utf8') };
  return { ok: false, reason: 'unreadable build-info probe result' };
}

function goPackage(name: string, version: string, location: PackageLocation, metadata: Record<string, string>): Package {
  return {
    id: `golang:${name}@${version}:${location.path}`,
    name,
    version,
    ecosystem: 'golang',
    purl: name === 'stdlib' ? buildPurl('golang', undefined, 'stdlib', version.replace(/^go/, '')) : goPurl(name, version),
    licenses: [],
    locations: [location],
    foundBy: ID,
    metadata,
  };
}

export const goBinary = {
  id: ID,
  version: 2,
  tags: ['language', 'installed', 'binary'],
  scope: 'layer',

  wants: isCandidate,

  /** Never kept: the build-info probe takes what is needed while the layers stream. */
  wantsContent() {
    return false;
  },

  probes: [GO_BUILDINFO_PROBE],

  async catalog(ctx) {
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
          unknowns.push(unknownAt(ID, file, `unreadable executable: ${describeError(error)}`));
          continue;
        }
        parsed = parseBuildInfo(bytes);
      }
      if (parsed.ok === 'absent') continue; // not a Go binary
      if (parsed.ok === false) {
        unknowns.push(unknownAt(ID, file, parsed.reason));
        continue;
      }
      const info = parsed.value;
      const location = locationOf(file);
      const meta = { goVersion: info.goVersion, ...(info.main !== undefined ? { mainModule: info.main.path } : {}) };
      const stdlib = goPackage('stdlib', info.goVersion, location, meta);
      packages.push(stdlib);
      const main = info.main !== undefined ? goPackage(info.main.path, info.main.version === '' ? '(devel)' : info.main.version, location, meta) : undefined;
      if (main !== undefined) packages.push(main);
      for (const dep of info.deps) {
        const pkg = goPackage(dep.path, dep.version, location, {
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
  },
} as const satisfies Cataloguer;

export const cataloguers = [goBinary, goMod] as const;
