import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { pub } from './index.ts';

describe('pub', () => {
  it.each`
    a | b | expected
    ${'1.0.0-pre'} | ${'1.0.0'} | ${-1}
    ${'1.0.0'} | ${'1.0.0+build'} | ${-1}
    ${'1.0.0-pre+1'} | ${'1.0.0-pre'} | ${1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(pub, a, b)).toBe(expected);
    expect(compareStrings(pub, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'x.y'])('refuses %j', (input: string) => {
    expect(pub.parse(input).ok).toBe(false);
  });

});
