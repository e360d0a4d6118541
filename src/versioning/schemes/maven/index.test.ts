import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareStrings } from '../../scheme.ts';
import { maven } from './index.ts';
import { requirePeer, isCi } from '../../../testing/peers.ts';

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
  if (isCi) throw new Error('maven (maven-artifact jar) and java are required');
  return undefined;
}
const JAR = mavenArtifactJar();

function runComparableVersion(versions: readonly string[]): number[] {
  const out = execFileSync('java', ['-cp', JAR!, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...out.matchAll(/^ {3}(\S+) (<|>|==) (\S+)$/gm)].map((m) => (m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0));
}

function disagreementsWithMaven(versions: readonly string[]): { a: string; b: string; maven: number; ours: number | undefined }[] {
  const results = runComparableVersion(versions);
  expect(results).toHaveLength(versions.length - 1);
  return results
    .map((expected, i) => ({ a: versions[i] ?? '', b: versions[i + 1] ?? '', maven: expected }))
    .map((r) => ({ ...r, ours: compareStrings(maven, r.a, r.b) }))
    .filter((r) => r.ours !== r.maven);
}

describe.skipIf(JAR === undefined || !requirePeer('java'))('maven against ComparableVersion', () => {
  it('agrees on real-world version shapes (.Final, .jre8, .RELEASE, -M5, .SP1, -android…)', () => {
    const versions = [
      '9.4.0.jre8', '9.4.0', '9.4.1.jre8', '9.4.0.jre11', '5.4.2.Final', '5.4.2', '1.0.0.RELEASE', '1.0.0', '2.0.0.M1',
      '2.0.0', '2.0.0.RC1', '2.0.0.M3', '1.2.3.SP1', '1.2.3', '31.1-jre', '31.1-android', '1.0-b1', '1.0', '4.1.100.Final',
      '4.1.94.Final', '2.13.4.2', '2.13.4', '1.0.0.CR1', '1.0.0.Beta2', '3.0.0-M5', '3.0.0', '12.2.0.jre11', '12.2.0.jre8',
      '1.9.22.1', '1.9.22', '2.0.0.v20200101', '2.0.0', '6.0.0.Alpha1', '6.0.0', '1.0.0.GA', '1.0.0', '2.17.1', '2.17.0-rc1',
      '1.0-SNAPSHOT', '1.0-alpha-1-SNAPSHOT', '0.0.0-2021-05-17T01-01-51-5ec03a8b', '20.0.0',
    ];
    expect(disagreementsWithMaven(versions)).toEqual([]);
  });

  it('agrees on at least 99% of 3000 adversarial neighbour pairs (mixed ./- qualifier nesting differs)', () => {
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
    const disagreements = disagreementsWithMaven(versions);
    console.log(`maven cross-check (adversarial): ${3000 - disagreements.length}/3000 pairs agree; e.g. ${JSON.stringify(disagreements.slice(0, 3))}`);
    expect(disagreements.length).toBeLessThanOrEqual(30);
  });
});
