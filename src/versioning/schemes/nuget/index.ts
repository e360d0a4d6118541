import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits } from '../../_shared/numeric.ts';
import { comparePrerelease } from '../../_shared/semver-core.ts';

export interface NugetVersion {
  /** Major, minor, patch, revision (missing parts are 0). */
  readonly numbers: readonly [string, string, string, string];
  readonly prerelease: readonly string[];
}

const NUGET = /^[vV]?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * NuGet versions (NuGet.Versioning): up to four numeric parts (leading zeros allowed, missing
 * parts are 0), SemVer 2.0 pre-release labels compared case-insensitively, metadata ignored.
 */
export const nuget = {
  id: 'nuget',
  specUrl: 'https://learn.microsoft.com/en-us/nuget/concepts/package-versioning',

  parse(input) {
    const m = NUGET.exec(input.trim());
    if (m === null) return err({ input, reason: 'not a NuGet version' });
    return ok({
      numbers: [m[1] ?? '0', m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'],
      prerelease: m[5] === undefined ? [] : m[5].split('.'),
    });
  },

  compare(a, b) {
    for (let i = 0; i < 4; i++) {
      const c: Ordering = compareDigits(a.numbers[i] ?? '0', b.numbers[i] ?? '0');
      if (c !== 0) return c;
    }
    return comparePrerelease(a.prerelease, b.prerelease, true);
  },
} as const satisfies VersionScheme<NugetVersion>;
