import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { semver } from './index.ts';

describe('semver', () => {
  it.each`
    a | b | expected
    ${'1.0.0-alpha'} | ${'1.0.0'} | ${-1}
    ${'1.0.0-alpha.1'} | ${'1.0.0-alpha.beta'} | ${-1}
    ${'1.0.0+a'} | ${'1.0.0+b'} | ${0}
    ${'v1.2.3'} | ${'1.2.3'} | ${0}
    ${'1.2'} | ${'1.2.0'} | ${0}
    ${'10.0.0'} | ${'9.9.9'} | ${1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(semver, a, b)).toBe(expected);
    expect(compareStrings(semver, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'x', '1.2.3-', '1.2.3+'])('refuses %j', (input: string) => {
    expect(semver.parse(input).ok).toBe(false);
  });

});
