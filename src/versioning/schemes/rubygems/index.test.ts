import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { rubygems } from './index.ts';

describe('rubygems', () => {
  it.each`
    a | b | expected
    ${'1.0.0.beta'} | ${'1.0.0'} | ${-1}
    ${'1.0.0-rc1'} | ${'1.0.0'} | ${-1}
    ${'1.0'} | ${'1.0.0'} | ${0}
    ${'3.10'} | ${'3.2'} | ${1}
    ${'1.0.a10'} | ${'1.0.a9'} | ${1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(rubygems, a, b)).toBe(expected);
    expect(compareStrings(rubygems, b, a)).toBe(-expected || 0);
  });

  it.each(['', '-1', '1..2 x'])('refuses %j', (input: string) => {
    expect(rubygems.parse(input).ok).toBe(false);
  });

});
