import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { deb } from './index.ts';
import { requirePeer } from '../../../testing/peers.ts';

describe('deb', () => {
  it.each`
    a | b | expected
    ${'1.0~rc1'} | ${'1.0'} | ${-1}
    ${'1:0.9'} | ${'2.0'} | ${1}
    ${'2.31-13+deb11u5'} | ${'2.31-13+deb11u10'} | ${-1}
    ${'1.0-1'} | ${'1.0-1ubuntu1'} | ${-1}
    ${'7.88.1-10+deb12u5'} | ${'7.88.1-10+deb12u12'} | ${-1}
    ${'1.0'} | ${'1.0-0'} | ${0}
    ${'1.0~~'} | ${'1.0~'} | ${-1}
    ${'1.0+b1'} | ${'1.0'} | ${1}
    ${'1.2.3-1~bpo12+1'} | ${'1.2.3-1'} | ${-1}
    ${'0:1.0'} | ${'1.0'} | ${0}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(deb, a, b)).toBe(expected);
    expect(compareStrings(deb, b, a)).toBe(-expected || 0);
  });

  it.each(['', ' ', 'a:1.0', '1.0-', '1.0 1', '-1'])('refuses %j', (input: string) => {
    expect(deb.parse(input).ok).toBe(false);
  });

});

// Cross-check against the real dpkg on generated pairs (ground truth, not our own output).

function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generatePairs(count: number): [string, string][] {
  const rnd = makeRandom(20261121);
  const pick = (chars: string): string => chars[Math.floor(rnd() * chars.length)] ?? '0';
  const piece = (chars: string, max: number): string => {
    let s = '';
    const n = 1 + Math.floor(rnd() * max);
    for (let i = 0; i < n; i++) s += pick(chars);
    return s;
  };
  const version = (): string => {
    const epoch = rnd() < 0.2 ? `${Math.floor(rnd() * 3)}:` : '';
    const upstream = pick('0123456789') + piece('0123456789..+~~abz', 6);
    const revision = rnd() < 0.6 ? `-${piece('0123456789.+~abu', 4)}` : '';
    return `${epoch}${upstream}${revision}`;
  };
  const mutate = (v: string): string => {
    const i = Math.floor(rnd() * v.length);
    const ch = pick('0123456789.+~a');
    const out = v.slice(0, i) + ch + v.slice(i + 1);
    return /^([0-9]+:)?[0-9]/.test(out) && !out.endsWith('-') && !/:$|-.*[:-]|^[0-9]+:.*:/.test(out) ? out : v;
  };
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const a = version();
    pairs.push([a, rnd() < 0.5 ? mutate(a) : version()]);
  }
  return pairs;
}

describe.skipIf(!requirePeer('dpkg'))('deb against dpkg --compare-versions', () => {
  it('agrees on 3000 generated pairs', () => {
    const pairs = generatePairs(3000).filter(([a, b]) => deb.parse(a).ok && deb.parse(b).ok);
    const script =
      'while IFS=" " read -r a b; do ' +
      'if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1; ' +
      'elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; else echo 1; fi; done';
    const out = execFileSync('sh', ['-c', script], {
      input: pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    })
      .trim()
      .split('\n')
      .map(Number);
    expect(out).toHaveLength(pairs.length);
    const disagreements = pairs
      .map(([a, b], i) => ({ a, b, dpkg: out[i], ours: compareStrings(deb, a, b) }))
      .filter((r) => r.dpkg !== r.ours);
    console.log(`dpkg cross-check: ${pairs.length - disagreements.length}/${pairs.length} pairs agree`);
    expect(disagreements).toEqual([]);
    expect(pairs.length).toBeGreaterThan(2500);
  });
});
