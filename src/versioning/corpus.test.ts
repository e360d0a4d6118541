import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compareStrings } from './scheme.ts';
import { SCHEMES } from './registry.ts';
import { isCi } from '../testing/peers.ts';

/**
 * Accuracy against ground truth: ../shared/corpus/osv/version-compare holds `a <op> b` lines
 * (google/osv-scalibr semantic/testdata), orderings checked against the ecosystems' own tools.
 * Every line of every file must agree.
 */
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/version-compare/', import.meta.url));

const FILE_SCHEME: Readonly<Record<string, string>> = {
  'alpine-versions.txt': 'apk',
  'cran-versions.txt': 'cran',
  'debian-versions.txt': 'deb',
  'hackage-versions.txt': 'hackage',
  'maven-versions.txt': 'maven',
  'nuget-versions.txt': 'nuget',
  'packagist-versions.txt': 'packagist',
  'pub-versions.txt': 'pub',
  'pypi-versions.txt': 'pep440',
  'redhat-versions.txt': 'rpm',
  'rubygems-versions.txt': 'rubygems',
  'semver-versions.txt': 'semver',
};

interface Case {
  readonly line: number;
  readonly a: string;
  readonly b: string;
  readonly expected: -1 | 0 | 1;
}

function readCases(file: string): Case[] {
  const cases: Case[] = [];
  readFileSync(`${CORPUS}${file}`, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const text = raw.trim();
      if (text === '' || text.startsWith('#') || text.startsWith('//')) return;
      const m = /^(\S+) ([<>=]) (\S+)$/.exec(text);
      if (m === null) throw new Error(`${file}:${index + 1}: unreadable corpus line`);
      cases.push({
        line: index + 1,
        a: m[1] ?? '',
        b: m[3] ?? '',
        expected: m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0,
      });
    });
  return cases;
}

const present = existsSync(CORPUS);
if (!present && isCi) throw new Error(`corpus missing: ${CORPUS}`);

describe.skipIf(!present)('version-compare corpus', () => {
  const counts: string[] = [];
  afterAll(() => {
    console.log(`version-compare corpus agreement:\n${counts.join('\n')}`);
  });

  it('maps every corpus file to a scheme', () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.txt'));
    expect(files.sort()).toEqual(Object.keys(FILE_SCHEME).sort());
  });

  it.each(Object.entries(FILE_SCHEME))('%s agrees with %s on every line', (file, schemeId) => {
    const scheme = SCHEMES[schemeId];
    expect(scheme).toBeDefined();
    const cases = readCases(file);
    const failures: string[] = [];
    for (const c of cases) {
      const got = compareStrings(scheme!, c.a, c.b);
      const reverse = compareStrings(scheme!, c.b, c.a);
      if (got !== c.expected || reverse !== -c.expected) {
        failures.push(`${file}:${c.line} ${c.a} vs ${c.b}: expected ${c.expected}, got ${got} (reverse ${reverse})`);
      }
    }
    counts.push(`  ${schemeId.padEnd(10)} ${file.padEnd(24)} ${cases.length - failures.length}/${cases.length}`);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(0);
  });
});
