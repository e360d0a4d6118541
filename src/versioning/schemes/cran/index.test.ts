import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { cran } from './index.ts';

describe('cran', () => {
  it.each`
    a | b | expected
    ${'0.1-2'} | ${'0.2-2'} | ${-1}
    ${'0.01.0'} | ${'0.1-0'} | ${0}
    ${'1.0'} | ${'1.0.1'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(cran, a, b)).toBe(expected);
    expect(compareStrings(cran, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1.a'])('refuses %j', (input: string) => {
    expect(cran.parse(input).ok).toBe(false);
  });

});
