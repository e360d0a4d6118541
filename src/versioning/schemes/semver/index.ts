import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareSemverPrecedence, parseLenientSemver, type SemverParts } from '../../_shared/semver-core.ts';

/**
 * SemVer 2.0.0 precedence, as OSV's SEMVER range type is evaluated: build metadata ignored,
 * read leniently (optional `v`, missing minor/patch are 0, a 4th+ numeric component is build).
 * Used for crates.io-like and Hex/Bitnami/SwiftURL ecosystems and for SEMVER ranges of any ecosystem.
 */
export const semver = {
  id: 'semver',
  specUrl: 'https://semver.org/spec/v2.0.0.html#spec-item-11',

  parse(input) {
    const parts = parseLenientSemver(input.trim());
    return parts === undefined ? err({ input, reason: 'not a semantic version' }) : ok(parts);
  },

  compare(a, b) {
    return compareSemverPrecedence(a, b);
  },
} as const satisfies VersionScheme<SemverParts>;
