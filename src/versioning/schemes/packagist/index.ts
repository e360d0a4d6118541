import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits } from '../../_shared/numeric.ts';

const NUMBER = /^[0-9]+$/;

/** PHP version_compare's special forms, matched as prefixes, case-sensitive; unknown → -1. */
const SPECIAL_FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function formOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order;
  return -1;
}

function compareForms(a: string, b: string): Ordering {
  const x = formOrder(a);
  const y = formOrder(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * version_compare's canonical form: drop a leading v, '-', '_' and '+' become '.', and a '.'
 * is inserted wherever digits meet non-digits; then split on '.'.
 */
function canonicalize(version: string): string[] {
  let v = version.replace(/^[vV]/, '');
  v = v.replace(/[-_+]/g, '.');
  v = v.replace(/([^0-9.])([0-9])/g, '$1.$2').replace(/([0-9])([^0-9.])/g, '$1.$2');
  return v.split('.');
}

function compareTokens(a: readonly string[], b: readonly string[]): Ordering {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = NUMBER.test(x);
    const yn = NUMBER.test(y);
    const c = xn && yn ? compareDigits(x, y) : xn ? compareForms('#', y) : yn ? compareForms(x, '#') : compareForms(x, y);
    if (c !== 0) return c;
  }
  if (a.length > b.length) {
    // The longer one wins if it goes on with a number; otherwise its tail is weighed against '#'.
    return NUMBER.test(a[n] ?? '') ? 1 : compareTokens(a.slice(n), ['#']);
  }
  if (b.length > a.length) {
    return NUMBER.test(b[n] ?? '') ? -1 : compareTokens(['#'], b.slice(n));
  }
  return 0;
}

/**
 * Packagist (Composer) versions, ordered like PHP's version_compare() on the version string
 * with a leading v removed: dev < alpha = a < beta = b < RC = rc < # (any number) < pl = p.
 */
export const packagist = {
  id: 'packagist',
  specUrl: 'https://www.php.net/manual/en/function.version-compare.php',

  parse(input) {
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    return ok(canonicalize(text));
  },

  compare(a, b) {
    return compareTokens(a, b);
  },
} as const satisfies VersionScheme<readonly string[]>;
