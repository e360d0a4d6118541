import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { hackage } from './index.ts';

describe('hackage', () => {
  it.each`
    a | b | expected
    ${'1.0'} | ${'1.0.0'} | ${-1}
    ${'0.1.26.0'} | ${'0'} | ${1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(hackage, a, b)).toBe(expected);
    expect(compareStrings(hackage, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1.a'])('refuses %j', (input: string) => {
    expect(hackage.parse(input).ok).toBe(false);
  });

});
