import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareSemverPrecedence, parseStrictSemver, type SemverParts } from '../../_shared/semver-core.ts';

const MAX_LENGTH = 256;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** node-semver's loose grammar: `=`/`v`/spaces prefix, prerelease without '-', leading zeros. */
const LOOSE =
  /^[v=\s]*([0-9]+)\.([0-9]+)\.([0-9]+)(?:-?((?:[0-9]+|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:[0-9]+|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * npm versions, as node-semver orders them: SemVer 2.0.0 precedence, build metadata ignored.
 * Accepts what `semver.valid(v)` accepts (optional `v`), falling back to node-semver's loose
 * mode (`=1.2.3`, `1.2.3beta`), as npm does for legacy published versions.
 */
export const npm = {
  id: 'npm',
  specUrl: 'https://github.com/npm/node-semver#versions',

  parse(input) {
    const text = input.trim();
    if (text.length > MAX_LENGTH) return err({ input, reason: 'longer than 256 characters' });
    let parts = parseStrictSemver(text.startsWith('v') ? text.slice(1) : text);
    if (parts === undefined) {
      const m = LOOSE.exec(text);
      if (m !== null) {
        parts = {
          major: m[1] ?? '0',
          minor: m[2] ?? '0',
          patch: m[3] ?? '0',
          prerelease: m[4] === undefined ? [] : m[4].split('.'),
          build: m[5] === undefined ? [] : m[5].split('.'),
        };
      }
    }
    if (parts === undefined) return err({ input, reason: 'not a valid npm semver version' });
    if ([parts.major, parts.minor, parts.patch].some((n) => BigInt(n) > MAX_SAFE)) {
      return err({ input, reason: 'version component larger than MAX_SAFE_INTEGER' });
    }
    return ok(parts);
  },

  compare(a, b) {
    return compareSemverPrecedence(a, b);
  },
} as const satisfies VersionScheme<SemverParts>;
