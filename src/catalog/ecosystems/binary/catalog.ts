import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { isElf } from '../../_shared/elf.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package } from '../../model.ts';
import { EXECUTABLE_HEAD_PROBE } from './probes.ts';

/** dpkg maintainer scripts and rpm/apk database files belong to the package manager itself. */
function isPackageManagerFile(path: string): boolean {
  return path.startsWith('/var/lib/dpkg/') || path.startsWith('/var/lib/rpm/') || path.startsWith('/lib/apk/');
}

/** elf-unowned (index.ts): the candidates no package owns whose head is an ELF magic number. */
export async function catalogElfUnowned(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
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
        unknowns.push(unknownAt(id, file, `unreadable executable: ${describeError(error)}`));
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
      foundBy: id,
      metadata: { owner: 'none', ...(digest !== undefined ? { sha256: digest } : {}) },
    });
  }
  return { packages, relationships: [], unknowns };
}
