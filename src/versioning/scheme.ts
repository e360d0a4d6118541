import type { Result } from '../core/result.ts';

export type { Tri } from '../core/result.ts';

export type Ordering = -1 | 0 | 1;

export interface VersionParseError {
  readonly input: string;
  readonly reason: string;
}

/**
 * One ecosystem's version syntax and ordering. We never compute new ranges: we only order
 * versions and test membership (range.ts), so a scheme supplies parse() and compare().
 * compare() is declared as a method so schemes of different V fit one registry table.
 */
export interface VersionScheme<V> {
  /** Stable kebab-case id, equal to the folder name under schemes/. */
  readonly id: string;
  readonly specUrl: string;
  parse(input: string): Result<V, VersionParseError>;
  compare(a: V, b: V): Ordering;
}

/** Parses both sides and compares; undefined when either side does not parse. */
export function compareStrings<V>(scheme: VersionScheme<V>, a: string, b: string): Ordering | undefined {
  const left = scheme.parse(a);
  const right = scheme.parse(b);
  if (!left.ok || !right.ok) return undefined;
  return scheme.compare(left.value, right.value);
}
