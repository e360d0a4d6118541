import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { apk } from './index.ts';

describe('apk', () => {
  it.each`
    a | b | expected
    ${'1.2.3-r1'} | ${'1.2.3-r10'} | ${-1}
    ${'1.2_rc1'} | ${'1.2'} | ${-1}
    ${'1.2_p1'} | ${'1.2'} | ${1}
    ${'1.2a'} | ${'1.2'} | ${1}
    ${'1.0.2'} | ${'1.0.10'} | ${-1}
    ${'1.02'} | ${'1.1'} | ${-1}
    ${'3.0.8-r0'} | ${'3.0.10-r0'} | ${-1}
    ${'1.2.3_git20230101'} | ${'1.2.3'} | ${1}
    ${'1.2~abc-r1'} | ${'1.2-r1'} | ${1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(apk, a, b)).toBe(expected);
    expect(compareStrings(apk, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1 2'])('refuses %j', (input: string) => {
    expect(apk.parse(input).ok).toBe(false);
  });

});
