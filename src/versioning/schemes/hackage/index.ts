import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareDigitLists } from '../../_shared/numeric.ts';

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
    return compareDigitLists(a, b);
  },
} as const satisfies VersionScheme<readonly string[]>;
