import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { maven } from './index.ts';
import { requirePeer } from '../../../testing/peers.ts';

describe('maven', () => {
  it.each`
    a | b | expected
    ${'1.0-alpha-1'} | ${'1.0'} | ${-1}
    ${'1.0-SNAPSHOT'} | ${'1.0'} | ${-1}
    ${'1.0'} | ${'1.0.0'} | ${0}
    ${'1.0-ga'} | ${'1'} | ${0}
    ${'1.0-rc1'} | ${'1.0-cr1'} | ${0}
    ${'1.0-sp1'} | ${'1.0'} | ${1}
    ${'2.0.1-xyz'} | ${'2.0.1-123'} | ${-1}
    ${'1.0-beta-1'} | ${'1.0-SNAPSHOT'} | ${-1}
    ${'2.17.0'} | ${'2.17.1'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }: { a: string; b: string; expected: number }) => {
    expect(compareStrings(maven, a, b)).toBe(expected);
    expect(compareStrings(maven, b, a)).toBe(-expected || 0);
  });

  it.each(['', '1 0'])('refuses %j', (input: string) => {
    expect(maven.parse(input).ok).toBe(false);
  });

});

// Cross-check against Maven's own ComparableVersion (the maven-artifact jar of the installed mvn).
function mavenArtifactJar(): string | undefined {
  for (const dir of ['/usr/share/maven/lib', '/opt/maven/lib']) {
    if (!existsSync(dir)) continue;
    const jar = readdirSync(dir).find((f) => /^maven-artifact-.*\.jar$/.test(f));
    if (jar !== undefined) return `${dir}/${jar}`;
  }
  if (process.env['CI'] === 'true') throw new Error('maven (maven-artifact jar) and java are required');
  return undefined;
}
const JAR = mavenArtifactJar();

describe.skipIf(JAR === undefined || !requirePeer('java'))('maven against ComparableVersion', () => {
  it('agrees on 3000 generated neighbour pairs', () => {
    let state = 99991;
    const rnd = (): number => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const token = (): string =>
      rnd() < 0.6
        ? pick(['0', '1', '2', '10', '01', '3'])
        : pick(['alpha', 'beta', 'milestone', 'rc', 'cr', 'SNAPSHOT', 'ga', 'final', 'release', 'sp', 'foo', 'a1', 'b2', 'm3', 'RC1', 'jre', 'Final']);
    const version = (): string => {
      let v = pick(['1', '2', '0', '10']);
      for (let i = 0, k = Math.floor(rnd() * 4); i < k; i++) v += pick(['.', '.', '-', '']) + token();
      return v;
    };
    const versions = Array.from({ length: 3001 }, () => version());
    const out = execFileSync('java', ['-cp', JAR!, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const results = [...out.matchAll(/^ {3}(\S+) (<|>|==) (\S+)$/gm)].map((m) => (m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0));
    expect(results).toHaveLength(3000);
    const disagreements = results
      .map((expected, i) => ({ a: versions[i] ?? '', b: versions[i + 1] ?? '', maven: expected }))
      .map((r) => ({ ...r, ours: compareStrings(maven, r.a, r.b) }))
      .filter((r) => r.ours !== r.maven);
    console.log(`maven cross-check: ${3000 - disagreements.length}/3000 pairs agree`);
    expect(disagreements).toEqual([]);
  });
});
