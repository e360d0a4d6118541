import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareDigits } from '../../_shared/numeric.ts';

/** Haskell package versions (Cabal/PVP): dot-separated naturals, compared as lists (longer wins on a tie). */
export const hackage = {
  id: 'hackage',
  specUrl: 'https://pvp.haskell.org/',

  parse(input) {
    const text = input.trim();
    if (!/^[0-9]+(?:\.[0-9]+)*$/.test(text)) return err({ input, reason: 'not dot-separated numbers' });
    return ok(text.split('.'));
  },

  compare(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      const c = compareDigits(x, y);
      if (c !== 0) return c;
    }
    return 0;
  },
} as const satisfies VersionScheme<readonly string[]>;
