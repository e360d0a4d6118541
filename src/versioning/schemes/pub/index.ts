import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import {
  compareIdentifiers,
  compareSemverPrecedence,
  parseLenientSemver,
  type SemverParts,
} from '../../_shared/semver-core.ts';

/**
 * Dart pub versions (pub_semver): SemVer, except that build metadata *does* order versions:
 * a version with a build suffix sorts after the same version without one.
 */
export const pub = {
  id: 'pub',
  specUrl: 'https://dart.dev/tools/pub/versioning#semantic-versions',

  parse(input) {
    const parts = parseLenientSemver(input.trim());
    return parts === undefined ? err({ input, reason: 'not a pub version' }) : ok(parts);
  },

  compare(a, b) {
    const precedence = compareSemverPrecedence(a, b);
    if (precedence !== 0) return precedence;
    const ab = a.build.length > 0;
    const bb = b.build.length > 0;
    if (ab !== bb) return ab ? 1 : -1;
    return compareIdentifiers(a.build, b.build);
  },
} as const satisfies VersionScheme<SemverParts>;
