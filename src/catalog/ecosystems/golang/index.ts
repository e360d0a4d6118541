import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, PackageLocation, Relationship } from '../../model.ts';
import { goMod } from './declared.ts';
import { parseBuildInfo } from './parse-buildinfo.ts';

const ID = 'go-binary';
/** Go binaries are never this small; skipping smaller executables keeps the walker's memory low. */
const MIN_SIZE = 512 * 1024;
const MAX_SIZE = 512 * 1024 * 1024;
/** Largest executable whose contents the image reader keeps while streaming (see wantsContent). */
const CAPTURE_MAX = 32 * 1024 * 1024;

export function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? buildPurl('golang', path.slice(0, slash), path.slice(slash + 1), version) : buildPurl('golang', undefined, path, version);
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
  version: 1,
  tags: ['language', 'installed', 'binary'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return (entry.type === 'file' || entry.type === 'hardlink') && (entry.mode & 0o111) !== 0 && entry.size >= MIN_SIZE && entry.size <= MAX_SIZE;
  },

  /**
   * Only executables up to CAPTURE_MAX are kept while the layers stream (re-reading a layer per
   * binary is slow). Bigger ones are read on demand through the tree, one at a time, so one huge
   * executable is never held twice (captured, then read) and several are never held at once.
   */
  wantsContent(entry: FileEntry) {
    return this.wants(entry) && entry.size <= CAPTURE_MAX;
  },

  async catalog(ctx) {
    const packages: Package[] = [];
    const relationships: Relationship[] = [];
    const unknowns: Unknown[] = [];
    for (const file of ctx.files) {
      let bytes: Buffer;
      try {
        bytes = await ctx.tree.readFile(file.path);
      } catch (error) {
        unknowns.push(unknownAt(ID, file, `unreadable executable: ${describeError(error)}`));
        continue;
      }
      const parsed = parseBuildInfo(bytes);
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
