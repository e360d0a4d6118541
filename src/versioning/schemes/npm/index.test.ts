import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { npm } from './index.ts';

describe('npm', () => {
  it.each`
    a | b | expected
    ${'1.0.0-alpha'} | ${'1.0.0'} | ${-1}
    ${'1.0.0-beta.2'} | ${'1.0.0-beta.11'} | ${-1}
    ${'v1.2.3'} | ${'1.2.3'} | ${0}
    ${'=1.2.3'} | ${'1.2.3'} | ${0}
    ${'1.2.3beta'} | ${'1.2.3-beta'} | ${0}
    ${'1.2.3+build.1'} | ${'1.2.3'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(npm, a, b)).toBe(expected);
    expect(compareStrings(npm, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1.2', '1.2.3.4', '9007199254740992.0.0', 'latest'])('refuses %j', (input: string) => {
    expect(npm.parse(input).ok).toBe(false);
  });

});
