import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareDigitLists } from '../../_shared/numeric.ts';

/**
 * R package versions (`package_version`): at least two non-negative integers separated by '.'
 * or '-', compared as integer lists; a longer list wins on a tie (0.1.0 < 0.1.0.0).
 */
export const cran = {
  id: 'cran',
  specUrl: 'https://cran.r-project.org/doc/manuals/r-release/R-exts.html#The-DESCRIPTION-file',

  parse(input) {
    const text = input.trim();
    if (!/^[0-9]+(?:[.-][0-9]+)*$/.test(text)) return err({ input, reason: "not numbers separated by '.' or '-'" });
    return ok(text.split(/[.-]/));
  },

  compare(a, b) {
    return compareDigitLists(a, b);
  },
} as const satisfies VersionScheme<readonly string[]>;
