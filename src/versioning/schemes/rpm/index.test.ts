import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { rpm } from './index.ts';

describe('rpm', () => {
  it.each`
    a | b | expected
    ${'1.0~rc1'} | ${'1.0'} | ${-1}
    ${'1.0^git1'} | ${'1.0'} | ${1}
    ${'1.0^git1'} | ${'1.01'} | ${-1}
    ${'0:3.10.0-229.el7'} | ${'0:3.10.0-229.1.2.ael7b'} | ${-1}
    ${'1:1.0'} | ${'2.0'} | ${1}
    ${'2.17-326.el7_9'} | ${'2.17-326.el7_9.3'} | ${-1}
    ${'1.0'} | ${'1.0-1'} | ${-1}
    ${'10.1'} | ${'10.0001'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(rpm, a, b)).toBe(expected);
    expect(compareStrings(rpm, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1.0 1'])('refuses %j', (input: string) => {
    expect(rpm.parse(input).ok).toBe(false);
  });

});
