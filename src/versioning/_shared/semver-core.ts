import type { Ordering } from '../scheme.ts';
import { compareDigits, compareText } from './numeric.ts';

/** A SemVer 2.0.0 shaped version; numbers kept as digit strings (unbounded). */
export interface SemverParts {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly prerelease: readonly string[];
  readonly build: readonly string[];
}

const NUMERIC = /^[0-9]+$/;

/**
 * SemVer §11 identifier precedence: numeric identifiers compare numerically and sort before
 * alphanumeric ones, which compare in ASCII order; a longer list wins when one is a prefix.
 */
export function compareIdentifiers(a: readonly string[], b: readonly string[], fold = false): Ordering {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    let c: Ordering;
    if (xn && yn) c = compareDigits(x, y);
    else if (xn) c = -1;
    else if (yn) c = 1;
    else c = fold ? compareText(x.toLowerCase(), y.toLowerCase()) : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Precedence per SemVer 2.0.0 §11: core numbers, then a release beats any prerelease; build ignored. */
export function compareSemverPrecedence(a: SemverParts, b: SemverParts, fold = false): Ordering {
  return (
    compareDigits(a.major, b.major) ||
    compareDigits(a.minor, b.minor) ||
    compareDigits(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease, fold)
  );
}

export function comparePrerelease(a: readonly string[], b: readonly string[], fold = false): Ordering {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  return compareIdentifiers(a, b, fold);
}

const STRICT =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Strict SemVer 2.0.0 (the grammar at semver.org), no prefix. */
export function parseStrictSemver(input: string): SemverParts | undefined {
  const m = STRICT.exec(input);
  if (m === null) return undefined;
  return {
    major: m[1] ?? '0',
    minor: m[2] ?? '0',
    patch: m[3] ?? '0',
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
    build: m[5] === undefined ? [] : m[5].split('.'),
  };
}

const LENIENT =
  /^[vV]?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?((?:\.[0-9]+)*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Lenient SemVer as OSV tooling reads SEMVER range events: optional `v`, missing minor/patch
 * read as 0, leading zeros allowed, and components after the third belong to the build string.
 */
export function parseLenientSemver(input: string): SemverParts | undefined {
  const m = LENIENT.exec(input);
  if (m === null) return undefined;
  const extra = m[4] ? m[4].slice(1).split('.') : [];
  const build = m[6] === undefined ? [] : m[6].split('.');
  return {
    major: m[1] ?? '0',
    minor: m[2] ?? '0',
    patch: m[3] ?? '0',
    prerelease: m[5] === undefined ? [] : m[5].split('.'),
    build: [...extra, ...build],
  };
}
