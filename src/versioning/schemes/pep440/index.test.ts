import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { pep440 } from './index.ts';

describe('pep440', () => {
  it.each`
    a | b | expected
    ${'1.0'} | ${'1.0.0'} | ${0}
    ${'1.0.dev0'} | ${'1.0a1'} | ${-1}
    ${'1.0a1'} | ${'1.0b1'} | ${-1}
    ${'1.0rc1'} | ${'1.0'} | ${-1}
    ${'1.0'} | ${'1.0.post1'} | ${-1}
    ${'1.0-1'} | ${'1.0.post1'} | ${0}
    ${'1!0.1'} | ${'2.0'} | ${1}
    ${'1.0+abc'} | ${'1.0'} | ${1}
    ${'1.0.0+local.a'} | ${'1.0.0+local.1'} | ${-1}
    ${'1.0ALPHA1'} | ${'1.0a1'} | ${0}
    ${'1.0c1'} | ${'1.0rc1'} | ${0}
    ${'1.1.dev1'} | ${'1.1'} | ${-1}
    ${'1.0.post1.dev1'} | ${'1.0.post1'} | ${-1}
    ${'foo-bar'} | ${'0.0.1'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(pep440, a, b)).toBe(expected);
    expect(compareStrings(pep440, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'a b'])('refuses %j', (input: string) => {
    expect(pep440.parse(input).ok).toBe(false);
  });

});
