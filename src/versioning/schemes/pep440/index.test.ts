import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { pep440 } from './index.ts';
import { isCi } from '../../../testing/peers.ts';

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

// Cross-check against the real `packaging` (Python) on generated PEP 440 spellings.
function python(): string | undefined {
  for (const cmd of ['python3', 'python', '/usr/bin/python3']) {
    const r = spawnSync(cmd, ['-c', 'import packaging.version'], { encoding: 'utf8' });
    if (r.status === 0) return cmd;
  }
  if (isCi) throw new Error('python3 with the packaging module is required');
  return undefined;
}
const PY = python();

describe.skipIf(PY === undefined)('pep440 against packaging.version', () => {
  it('agrees on 3000 generated pairs', () => {
    let state = 1234567;
    const rnd = (): number => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const num = (): string => pick(['0', '1', '2', '10', '01', '3']);
    const sep = (): string => pick(['', '.', '-', '_']);
    const version = (): string => {
      let v = rnd() < 0.1 ? 'v' : '';
      if (rnd() < 0.15) v += `${pick(['0', '1', '2'])}!`;
      v += Array.from({ length: 1 + Math.floor(rnd() * 3) }, num).join('.');
      if (rnd() < 0.4) v += `${sep()}${pick(['a', 'alpha', 'b', 'beta', 'c', 'rc', 'pre', 'preview', 'RC', 'A'])}${rnd() < 0.8 ? `${sep()}${num()}` : ''}`;
      if (rnd() < 0.3) v += rnd() < 0.3 ? `-${num()}` : `${sep()}${pick(['post', 'rev', 'r', 'POST'])}${rnd() < 0.8 ? num() : ''}`;
      if (rnd() < 0.3) v += `${sep()}${pick(['dev', 'DEV'])}${rnd() < 0.8 ? num() : ''}`;
      if (rnd() < 0.2) v += `+${pick(['abc', '1', 'ubuntu.1', 'a-b_c', 'local.7'])}`;
      return v;
    };
    const pairs: [string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const a = version();
      pairs.push([a, rnd() < 0.3 ? a.replace(/[0-9]$/, (d) => String((Number(d) + 1) % 10)) : version()]);
    }
    const script = [
      'import sys',
      'from packaging.version import Version, InvalidVersion',
      'for line in sys.stdin:',
      '    a, b = line.rstrip("\\n").split(" ")',
      '    try:',
      '        x, y = Version(a), Version(b)',
      '        print((x > y) - (x < y))',
      '    except InvalidVersion:',
      '        print("E")',
    ].join('\n');
    const out = execFileSync(PY!, ['-c', script], { input: pairs.map((p) => p.join(' ')).join('\n') + '\n', encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(out).toHaveLength(pairs.length);
    const checked = pairs.map(([a, b], i) => ({ a, b, packaging: out[i], ours: compareStrings(pep440, a, b) })).filter((r) => r.packaging !== 'E');
    const disagreements = checked.filter((r) => Number(r.packaging) !== r.ours);
    console.log(`pep440 cross-check: ${checked.length - disagreements.length}/${checked.length} valid pairs agree`);
    expect(disagreements).toEqual([]);
    expect(checked.length).toBeGreaterThan(2500);
  });
});
