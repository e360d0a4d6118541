import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { packagist } from './index.ts';

describe('packagist', () => {
  it.each`
    a | b | expected
    ${'1.0.0-dev'} | ${'1.0.0-alpha1'} | ${-1}
    ${'1.0.0-beta1'} | ${'1.0.0-RC1'} | ${-1}
    ${'1.0.0'} | ${'1.0.0-pl1'} | ${-1}
    ${'v2.0.0'} | ${'2.0.0'} | ${0}
    ${'1.0.0'} | ${'1.0'} | ${1}
    ${'1.25.0-beta2.1'} | ${'1.25.0-b.2.1'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(packagist, a, b)).toBe(expected);
    expect(compareStrings(packagist, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'a b'])('refuses %j', (input: string) => {
    expect(packagist.parse(input).ok).toBe(false);
  });

});
