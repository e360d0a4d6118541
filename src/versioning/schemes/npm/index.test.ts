import { createRequire } from 'node:module';
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

// Cross-check against node-semver itself (npm's own implementation) on generated versions.
interface NodeSemver {
  valid(v: string, loose?: boolean): string | null;
  compare(a: string, b: string, loose?: boolean): number;
}

describe('npm against node-semver', () => {
  const nodeSemver = createRequire(import.meta.url)('semver') as NodeSemver;

  it('agrees on validity and order for 3000 generated pairs', () => {
    let state = 7654321;
    const rnd = (): number => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const n = (): string => pick(['0', '1', '2', '10', '01', '9007199254740992']);
    const ident = (): string => pick(['alpha', 'beta', '1', '2', '11', '01', 'rc', 'x-y', 'A', '0a']);
    const version = (): string => {
      let v = pick(['', '', '', 'v', '=', ' v']);
      v += `${n()}.${n()}.${n()}`;
      if (rnd() < 0.4) v += `${pick(['-', '-', ''])}${Array.from({ length: 1 + Math.floor(rnd() * 3) }, ident).join('.')}`;
      if (rnd() < 0.2) v += `+${pick(['build', '001', 'sha.abc'])}`;
      return v;
    };
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const a = version();
      const b = rnd() < 0.3 ? a.replace(/[0-9]$/, (d) => String((Number(d) + 1) % 10)) : version();
      for (const v of [a, b]) {
        const accepted = nodeSemver.valid(v) !== null || nodeSemver.valid(v, true) !== null;
        expect({ v, ok: npm.parse(v).ok }).toEqual({ v, ok: accepted });
      }
      if (npm.parse(a).ok && npm.parse(b).ok) {
        expect({ a, b, order: compareStrings(npm, a, b) }).toEqual({ a, b, order: nodeSemver.compare(a, b, true) });
        compared++;
      }
    }
    console.log(`npm cross-check: ${compared} valid pairs agree with node-semver`);
    expect(compared).toBeGreaterThan(1000);
  });
});
