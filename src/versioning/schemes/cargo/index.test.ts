import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { cargo } from './index.ts';

describe('cargo', () => {
  it.each`
    a | b | expected
    ${'1.0.0-alpha'} | ${'1.0.0'} | ${-1}
    ${'0.3.9'} | ${'0.3.10'} | ${-1}
    ${'1.0.0+meta'} | ${'1.0.0'} | ${0}
    ${'1.0.0-rc.1'} | ${'1.0.0-rc.2'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(cargo, a, b)).toBe(expected);
    expect(compareStrings(cargo, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'v1.0.0', '01.0.0', '1.0', '1.0.0-01'])('refuses %j', (input: string) => {
    expect(cargo.parse(input).ok).toBe(false);
  });

});
