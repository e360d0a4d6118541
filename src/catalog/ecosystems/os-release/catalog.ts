import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { decodeText, describeError, unknownAt } from '../../_shared/text.ts';
import type { Distro } from '../../model.ts';
import { parseAlpineRelease, parseDebianVersion, parseOsRelease, parseRedhatRelease } from './parse-os-release.ts';
import { FILES } from './paths.ts';

const PARSERS: Record<string, (text: string) => Distro | undefined> = {
  '/etc/os-release': parseOsRelease,
  '/usr/lib/os-release': parseOsRelease,
  '/etc/alpine-release': parseAlpineRelease,
  '/etc/redhat-release': parseRedhatRelease,
  '/etc/centos-release': parseRedhatRelease,
  '/etc/system-release': parseRedhatRelease,
  '/etc/debian_version': parseDebianVersion,
};

/** os-release (index.ts): the first release file present, in FILES' order, names the distribution. */
export async function catalogOsRelease(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const unknowns: Unknown[] = [];
  const byPath = new Map(ctx.files.map((f) => [f.path, f]));
  for (const path of FILES) {
    const file = byPath.get(path);
    if (file === undefined) continue;
    try {
      const distro = (PARSERS[path] as (text: string) => Distro | undefined)(decodeText(await ctx.tree.readFile(path)));
      if (distro !== undefined) return { packages: [], relationships: [], unknowns, distro };
      unknowns.push(unknownAt(id, file, 'release file names no distribution'));
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable release file: ${describeError(error)}`));
    }
  }
  return { packages: [], relationships: [], unknowns };
}
