import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { go } from './index.ts';

describe('go', () => {
  it.each`
    a | b | expected
    ${'v1.2.3'} | ${'1.2.3'} | ${0}
    ${'v0.0.0-20191109021931-daa7c04131f5'} | ${'v0.0.0-20200101000000-abcdefabcdef'} | ${-1}
    ${'v1.2.4-0.20191109021931-daa7c04131f5'} | ${'v1.2.3'} | ${1}
    ${'v1.2.4-0.20191109021931-daa7c04131f5'} | ${'v1.2.4'} | ${-1}
    ${'v2.0.0+incompatible'} | ${'v2.0.0'} | ${0}
    ${'v1'} | ${'v1.0.0'} | ${0}
    ${'v1.2'} | ${'v1.2.0'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(go, a, b)).toBe(expected);
    expect(compareStrings(go, b, a)).toBe(-expected || 0);
  });

  it.each(['', 'v1.2.3.4', 'vx', 'v01.2.3'])('refuses %j', (input: string) => {
    expect(go.parse(input).ok).toBe(false);
  });

});
