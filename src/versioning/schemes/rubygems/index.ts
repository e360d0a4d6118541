import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText } from '../../_shared/numeric.ts';

/** A segment is a digit string or a letter run; digit strings are kept unbounded. */
export type GemSegment = { readonly n: string } | { readonly s: string };

function isZero(seg: GemSegment): boolean {
  return 'n' in seg && /^0+$/.test(seg.n);
}

/** Gem::Version#canonical_segments: drop trailing zeros of the numeric and the string part. */
function canonical(segments: readonly GemSegment[]): GemSegment[] {
  const firstString = segments.findIndex((seg) => 's' in seg);
  const numeric = firstString === -1 ? [...segments] : segments.slice(0, firstString);
  const strings = firstString === -1 ? [] : segments.slice(firstString);
  const trim = (list: GemSegment[]): GemSegment[] => {
    while (list.length > 0 && isZero(list[list.length - 1] as GemSegment)) list.pop();
    return list;
  };
  return [...trim(numeric), ...trim(strings)];
}

/**
 * RubyGems versions, ordered like Gem::Version#<=>: '-' means ".pre.", segments are digit runs
 * or letter runs, a letter segment (pre-release) sorts before a number, trailing zeros ignored.
 */
export const rubygems = {
  id: 'rubygems',
  specUrl: 'https://guides.rubygems.org/patterns/#semantic-versioning',

  parse(input) {
    const text = input.trim();
    if (!/^[0-9A-Za-z][0-9A-Za-z.-]*$/.test(text)) return err({ input, reason: 'not a gem version' });
    const segments: GemSegment[] = [];
    for (const m of text.replaceAll('-', '.pre.').matchAll(/[0-9]+|[a-z]+/gi)) {
      segments.push(/^[0-9]/.test(m[0]) ? { n: m[0] } : { s: m[0] });
    }
    return ok(canonical(segments));
  },

  compare(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i] ?? { n: '0' };
      const y = b[i] ?? { n: '0' };
      let c: Ordering;
      if ('n' in x && 'n' in y) c = compareDigits(x.n, y.n);
      else if ('s' in x && 's' in y) c = compareText(x.s, y.s);
      else c = 's' in x ? -1 : 1;
      if (c !== 0) return c;
    }
    return 0;
  },
} as const satisfies VersionScheme<readonly GemSegment[]>;
