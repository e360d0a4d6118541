import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { nuget } from './index.ts';

describe('nuget', () => {
  it.each`
    a | b | expected
    ${'1.0.0-BETA'} | ${'1.0.0-beta'} | ${0}
    ${'1.0'} | ${'1.0.0.0'} | ${0}
    ${'1.0.0.1'} | ${'1.0.0'} | ${1}
    ${'1.0.0-alpha'} | ${'1.0.0'} | ${-1}
    ${'1.0.0-beta.2'} | ${'1.0.0-beta.10'} | ${-1}
    ${'1.0.0+meta'} | ${'1.0.0'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(nuget, a, b)).toBe(expected);
    expect(compareStrings(nuget, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1.0.0.0.0', 'abc'])('refuses %j', (input: string) => {
    expect(nuget.parse(input).ok).toBe(false);
  });

});
