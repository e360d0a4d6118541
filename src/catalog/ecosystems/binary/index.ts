import type { Unknown } from '../../../core/result.ts';
import { headProbe } from '../../../image/probe.ts';
import { isExecutable } from '../../../image/want.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { isElf } from '../../_shared/elf.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package } from '../../model.ts';

const ID = 'elf-unowned';

const isCandidate = (entry: FileEntry): boolean => isExecutable(entry) && entry.size >= 4;

/** The first bytes of every executable (the ELF magic), kept while the layers stream. */
export const EXECUTABLE_HEAD_PROBE = headProbe('executable-head@1', 64, isCandidate);

/** dpkg maintainer scripts and rpm/apk database files belong to the package manager itself. */
function isPackageManagerFile(path: string): boolean {
  return path.startsWith('/var/lib/dpkg/') || path.startsWith('/var/lib/rpm/') || path.startsWith('/lib/apk/');
}

/**
 * Executables no package manager owns (copied in by a Dockerfile, downloaded by a script): recorded as
 * `binary` packages so drift and reachability see them. Runs last, after ownership is known; reads
 * only the unowned candidates.
 */
export const elfUnowned = {
  id: ID,
  version: 2,
  tags: ['binary'],
  scope: 'squashed',
  needsOwnership: true,

  wants: isCandidate,

  /** Never kept: the head probe keeps the magic number of every executable while the layers stream. */
  wantsContent() {
    return false;
  },

  probes: [EXECUTABLE_HEAD_PROBE],

  async catalog(ctx) {
    const packages: Package[] = [];
    const unknowns: Unknown[] = [];
    const owned = ctx.owned ?? new Set<string>();
    for (const file of ctx.files) {
      if (owned.has(file.path) || isPackageManagerFile(file.path)) continue;
      let head = ctx.tree.probe?.(file.path, EXECUTABLE_HEAD_PROBE.name);
      if (head === undefined) {
        // not probed (a folder source): read the file
        try {
          head = await ctx.tree.readFile(file.path);
        } catch (error) {
          unknowns.push(unknownAt(ID, file, `unreadable executable: ${describeError(error)}`));
          continue;
        }
      }
      if (!isElf(head)) continue; // scripts and other executables are not binaries
      const name = baseName(file.path);
      const digest = file.sha256;
      packages.push({
        id: `binary:${file.path}`,
        name,
        version: digest !== undefined ? `sha256:${digest.slice(0, 12)}` : '',
        ecosystem: 'binary',
        purl: buildPurl('generic', undefined, name, undefined, { checksum: digest !== undefined ? `sha256:${digest}` : undefined }),
        licenses: [],
        locations: [locationOf(file)],
        foundBy: ID,
        metadata: { owner: 'none', ...(digest !== undefined ? { sha256: digest } : {}) },
      });
    }
    return { packages, relationships: [], unknowns };
  },
} as const satisfies Cataloguer;

export const cataloguers = [elfUnowned] as const;
