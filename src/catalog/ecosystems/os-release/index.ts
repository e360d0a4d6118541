import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { decodeText, describeError, unknownAt } from '../../_shared/text.ts';
import type { Distro } from '../../model.ts';
import { parseAlpineRelease, parseDebianVersion, parseOsRelease, parseRedhatRelease } from './parse-os-release.ts';

const ID = 'os-release';
/** In order of preference: os-release first, then distro-specific fallbacks. */
const FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release', '/etc/redhat-release', '/etc/centos-release', '/etc/system-release', '/etc/debian_version'];
const PARSERS: Record<string, (text: string) => Distro | undefined> = {
  '/etc/os-release': parseOsRelease,
  '/usr/lib/os-release': parseOsRelease,
  '/etc/alpine-release': parseAlpineRelease,
  '/etc/redhat-release': parseRedhatRelease,
  '/etc/centos-release': parseRedhatRelease,
  '/etc/system-release': parseRedhatRelease,
  '/etc/debian_version': parseDebianVersion,
};

export const osRelease = {
  id: ID,
  version: 1,
  tags: ['os'],
  scope: 'squashed',
  identifiesDistro: true,

  wants(entry: FileEntry) {
    return FILES.includes(entry.path) && entry.type !== 'dir';
  },

  async catalog(ctx) {
    const unknowns: Unknown[] = [];
    const byPath = new Map(ctx.files.map((f) => [f.path, f]));
    for (const path of FILES) {
      const file = byPath.get(path);
      if (file === undefined) continue;
      try {
        const distro = (PARSERS[path] as (text: string) => Distro | undefined)(decodeText(await ctx.tree.readFile(path)));
        if (distro !== undefined) return { packages: [], relationships: [], unknowns, distro };
        unknowns.push(unknownAt(ID, file, 'release file names no distribution'));
      } catch (error) {
        unknowns.push(unknownAt(ID, file, `unreadable release file: ${describeError(error)}`));
      }
    }
    return { packages: [], relationships: [], unknowns };
  },
} as const satisfies Cataloguer;

export const cataloguers = [osRelease] as const;
