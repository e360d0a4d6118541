import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { compareDigits } from '../../_shared/numeric.ts';

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
