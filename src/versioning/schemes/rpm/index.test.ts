import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { rpm } from './index.ts';
import { requirePeer } from '../../../testing/peers.ts';

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

// Cross-check against the real rpm (rpm.vercmp in rpm's embedded Lua) on generated EVR pairs.
describe.skipIf(!requirePeer('rpm'))('rpm against rpm.vercmp', () => {
  it('agrees on 3000 generated pairs', () => {
    let state = 424242;
    const rnd = (): number => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = (chars: string): string => chars[Math.floor(rnd() * chars.length)] ?? '0';
    const piece = (chars: string, max: number): string => {
      let s = '';
      for (let i = 0, n = 1 + Math.floor(rnd() * max); i < n; i++) s += pick(chars);
      return s;
    };
    const version = (withRelease: boolean): string => {
      const epoch = rnd() < 0.2 ? `${Math.floor(rnd() * 3)}:` : '';
      const v = pick('0123456789') + piece('0123456789..~^_+aZz', 6);
      return withRelease ? `${epoch}${v}-${piece('0123456789.~^aelz_', 5)}` : `${epoch}${v}`;
    };
    const pairs: [string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const withRelease = rnd() < 0.7;
      const a = version(withRelease);
      const b = rnd() < 0.5 ? version(withRelease) : a.replace(/[0-9a-z]$/, (c) => pick(`${c}0123456789az~`));
      pairs.push([a, b]);
    }
    const lua = pairs.map(([a, b]) => `rpm.vercmp([[${a}]], [[${b}]])`).join(',\n');
    const out = execFileSync('rpm', ['--eval', `%{lua: local r = {${lua}}; print(table.concat(r, ","))}`], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    })
      .trim()
      .split(',')
      .map((x) => Math.sign(Number(x)));
    expect(out).toHaveLength(pairs.length);
    const disagreements = pairs
      .map(([a, b], i) => ({ a, b, rpm: out[i], ours: compareStrings(rpm, a, b) }))
      .filter((r) => r.rpm !== r.ours);
    console.log(`rpm cross-check: ${pairs.length - disagreements.length}/${pairs.length} pairs agree`);
    expect(disagreements).toEqual([]);
  });
});
