import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText } from '../../_shared/numeric.ts';
import { parseLenientSemver, type SemverParts } from '../../_shared/semver-core.ts';

const NUMERIC = /^[0-9]+$/;

/** pub_semver list order: numbers before strings, numbers numerically, strings by code unit. */
function compareLists(a: readonly string[], b: readonly string[]): Ordering {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    const c = xn && yn ? compareDigits(x, y) : xn ? -1 : yn ? 1 : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

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
    const core = compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
    if (core !== 0) return core;
    const ap = a.prerelease.length > 0;
    const bp = b.prerelease.length > 0;
    if (ap !== bp) return ap ? -1 : 1;
    const pre = compareLists(a.prerelease, b.prerelease);
    if (pre !== 0) return pre;
    const ab = a.build.length > 0;
    const bb = b.build.length > 0;
    if (ab !== bb) return ab ? 1 : -1;
    return compareLists(a.build, b.build);
  },
} as const satisfies VersionScheme<SemverParts>;
