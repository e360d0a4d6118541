import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareSemverPrecedence, parseStrictSemver, type SemverParts } from '../../_shared/semver-core.ts';

const SHORT = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$/;

/**
 * Go module versions (golang.org/x/mod/semver): `v` + SemVer; OSV records omit the `v`, so it
 * is optional here. `vMAJOR` and `vMAJOR.MINOR` are shorthands for .0; `+incompatible` is build
 * metadata and ignored; pseudo-versions (v0.0.0-20191109021931-daa7c04131f5,
 * v1.2.4-0.20191109021931-daa7c04131f5) are prereleases and order by their timestamp.
 */
export const go = {
  id: 'go',
  specUrl: 'https://go.dev/ref/mod#versions',

  parse(input) {
    const text = input.trim();
    const body = text.startsWith('v') ? text.slice(1) : text;
    const short = SHORT.exec(body);
    if (short !== null) {
      return ok({ major: short[1] ?? '0', minor: short[2] ?? '0', patch: '0', prerelease: [], build: [] });
    }
    const parts = parseStrictSemver(body);
    return parts === undefined ? err({ input, reason: 'not a Go module version' }) : ok(parts);
  },

  compare(a, b) {
    return compareSemverPrecedence(a, b);
  },
} as const satisfies VersionScheme<SemverParts>;
