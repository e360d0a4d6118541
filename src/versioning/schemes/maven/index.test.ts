import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { maven } from './index.ts';

describe('maven', () => {
  it.each`
    a | b | expected
    ${'1.0-alpha-1'} | ${'1.0'} | ${-1}
    ${'1.0-SNAPSHOT'} | ${'1.0'} | ${-1}
    ${'1.0'} | ${'1.0.0'} | ${0}
    ${'1.0-ga'} | ${'1'} | ${0}
    ${'1.0-rc1'} | ${'1.0-cr1'} | ${0}
    ${'1.0-sp1'} | ${'1.0'} | ${1}
    ${'2.0.1-xyz'} | ${'2.0.1-123'} | ${-1}
    ${'1.0-beta-1'} | ${'1.0-SNAPSHOT'} | ${-1}
    ${'2.17.0'} | ${'2.17.1'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(maven, a, b)).toBe(expected);
    expect(compareStrings(maven, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1 0'])('refuses %j', (input: string) => {
    expect(maven.parse(input).ok).toBe(false);
  });

});
