import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareSemverPrecedence, parseStrictSemver, type SemverParts } from '../../_shared/semver-core.ts';

/**
 * crates.io versions: strict SemVer 2.0.0 as the `semver` crate parses them (no `v`, no leading
 * zeros); ordered by SemVer precedence, so build metadata does not affect the order.
 */
export const cargo = {
  id: 'cargo',
  specUrl: 'https://doc.rust-lang.org/cargo/reference/semver.html',

  parse(input) {
    const parts = parseStrictSemver(input.trim());
    return parts === undefined ? err({ input, reason: 'not a SemVer 2.0.0 version' }) : ok(parts);
  },

  compare(a, b) {
    return compareSemverPrecedence(a, b);
  },
} as const satisfies VersionScheme<SemverParts>;
