import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { openDirTree, type FileTree } from '../image/index.ts';
import { corpusDir, isCi } from '../testing/peers.ts';
import { inlineTree } from './_shared/test-tree.ts';
import type { Ecosystem, Package } from './model.ts';
import { CATALOGUERS } from './registry.ts';
import { runCatalog } from './run.ts';

/**
 * Accuracy harness over syft's own fixtures and expectations (../shared/corpus/syft-fixtures):
 * prints found / expected / extra per ecosystem and asserts the figures recorded in the issue note.
 */
const SYFT = join(corpusDir(), 'syft-fixtures');
const present = existsSync(join(SYFT, 'SOURCES.md'));
if (!present && isCi) throw new Error(`the syft corpus is missing at ${SYFT}`);

const TYPES: Readonly<Record<string, Ecosystem>> = {
  deb: 'deb', apk: 'apk', rpm: 'rpm', npm: 'npm', python: 'pypi', 'go-module': 'golang', 'java-archive': 'maven', 'jenkins-plugin': 'maven',
  gem: 'gem', 'rust-crate': 'cargo', 'php-composer': 'composer', dotnet: 'nuget', conan: 'conan', 'dart-pub': 'pub', hex: 'hex', swift: 'swift', pod: 'cocoapods',
};

interface Tally {
  expected: number;
  found: number;
  extra: number;
  misses: string[];
  extras: string[];
}

function tally(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (t === undefined) {
    t = { expected: 0, found: 0, extra: 0, misses: [], extras: [] };
    map.set(key, t);
  }
  return t;
}

async function catalogue(tree: FileTree): Promise<readonly Package[]> {
  return (await runCatalog({ cataloguers: CATALOGUERS, tree, log: silentLogger })).packages;
}

/** Python names compare as PEP 503 normalises them (syft's expectations mix 'Pygments' and 'pygments'). */
function key(name: string, version: string, ecosystem: string): string {
  return `${ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name}@${version}`;
}

function compare(t: Tally, expected: readonly { name: string; version: string }[], found: readonly Package[], label: string, ecosystem: string): void {
  const want = new Set(expected.map((e) => key(e.name, e.version, ecosystem)));
  const have = new Set(found.map((p) => key(p.name, p.version, p.ecosystem)));
  t.expected += want.size;
  for (const key of want) {
    if (have.has(key)) t.found++;
    else t.misses.push(`${label}: ${key}`);
  }
  for (const key of have) {
    if (want.has(key)) continue;
    t.extra++;
    t.extras.push(`${label}: ${key}`);
  }
}

/** Places a single-file fixture where its cataloguer looks for it. */
function placeFile(path: string): string | undefined {
  const name = basename(path);
  if (/\/dpkg\/status\.d\//.test(path)) return `/var/lib/dpkg/status.d/${name}`;
  if (/\/(dpkg|opkg)\/status$/.test(path)) return path.includes('opkg') ? '/var/lib/opkg/status' : '/var/lib/dpkg/status';
  if (path.includes('/alpine/')) return '/lib/apk/db/installed';
  if (/package-lock.*\.json$/.test(name)) return '/app/package-lock.json';
  if (name === 'yarn.lock') return '/app/yarn.lock';
  if (name === 'pnpm-lock.yaml') return '/app/pnpm-lock.yaml';
  if (/^(Pipfile\.lock|poetry\.lock|uv\.lock|requirements\.txt|go\.mod|gradle\.lockfile|pom\.xml|bun\.lock)$/.test(name)) return `/app/${name}`;
  if (name === 'METADATA' || name === 'PKG-INFO') return `/usr/lib/python3/site-packages/x.${name === 'METADATA' ? 'dist' : 'egg'}-info/${name}`;
  if (name === 'Packages' || name === 'Packages.db' || name === 'rpmdb.sqlite') return `/var/lib/rpm/${name}`;
  return undefined;
}

describe.skipIf(!present)('syft fixture accuracy harness', () => {
  it('agrees with syft on the image-pkg-coverage directory scan and the unit fixtures', async () => {
    const byEcosystem = new Map<string, Tally>();

    // 1. directory scan of image-pkg-coverage (exact expectations)
    const coverage = JSON.parse(readFileSync(join(SYFT, 'expected-image-pkg-coverage.json'), 'utf8')) as {
      fixture_dir: string;
      directory_scan: { pkg_type: string; expected_packages: Record<string, string> }[];
    };
    const found = await catalogue(await openDirTree(join(SYFT, coverage.fixture_dir)));
    for (const c of coverage.directory_scan) {
      const ecosystem = TYPES[c.pkg_type];
      if (ecosystem === undefined) continue;
      const ours = found.filter((p) => p.ecosystem === ecosystem && (c.pkg_type !== 'jenkins-plugin' || p.locations.some((l) => l.path.endsWith('.hpi'))));
      compare(tally(byEcosystem, `${ecosystem} (coverage)`), Object.entries(c.expected_packages).map(([name, version]) => ({ name, version })), ours, 'coverage', ecosystem);
    }

    // 2. unit fixtures with unambiguous expectations
    const unit = JSON.parse(readFileSync(join(SYFT, 'expected-unit-heuristic.json'), 'utf8')) as {
      entries: { test_file: string; fixture_path_in_corpus: string | null; fixture_present: boolean; ambiguous_shared_with: unknown; expected_name_version: { name: string; version: string }[] }[];
    };
    const seen = new Set<string>();
    // syft's table tests list one fixture several times (whole file, then one package per subtest): keep the fullest list
    const fullest = new Map<string, number>();
    for (const entry of unit.entries) {
      const path = entry.fixture_path_in_corpus ?? '';
      fullest.set(path, Math.max(fullest.get(path) ?? 0, entry.expected_name_version.length));
    }
    for (const entry of unit.entries) {
      if (!entry.fixture_present || entry.ambiguous_shared_with !== null || entry.fixture_path_in_corpus === null) continue;
      if (/parse_(pdm|setup|deno|package_json)|jvm|go-sum|pypi-remote/.test(entry.test_file + entry.fixture_path_in_corpus)) continue;
      if (entry.expected_name_version.length < (fullest.get(entry.fixture_path_in_corpus) ?? 0)) continue;
      const key = `${entry.fixture_path_in_corpus}|${JSON.stringify(entry.expected_name_version)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const full = join(SYFT, entry.fixture_path_in_corpus);
      let tree: FileTree;
      if (statSync(full).isDirectory() && /(dist|egg)-info$/i.test(full)) {
        // a metadata folder on its own: mount it where an installer puts it
        const files: Record<string, Buffer> = {};
        for (const name of readdirSync(full)) files[`/usr/lib/python3/site-packages/${basename(full)}/${name}`] = readFileSync(join(full, name));
        tree = inlineTree(files);
      } else if (statSync(full).isDirectory()) tree = await openDirTree(full);
      else {
        const target = placeFile(entry.fixture_path_in_corpus);
        if (target === undefined) continue;
        tree = inlineTree({ [target]: readFileSync(full) });
      }
      const ours = (await catalogue(tree)).filter((p) => p.ecosystem !== 'binary');
      const ecosystem = ours[0]?.ecosystem ?? guessEcosystem(entry.test_file);
      compare(tally(byEcosystem, `${ecosystem} (unit)`), entry.expected_name_version, ours, entry.fixture_path_in_corpus, ecosystem);
    }

    const rows = [...byEcosystem.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    console.log(
      ['ecosystem                 found/expected  extra', ...rows.map(([k, t]) => `${k.padEnd(26)}${`${t.found}/${t.expected}`.padEnd(16)}${t.extra}`)].join('\n'),
      '\nmisses:\n' + rows.flatMap(([, t]) => t.misses).join('\n'),
      '\nextras:\n' + rows.flatMap(([, t]) => t.extras).join('\n'),
    );
    // figures recorded in the issue note; every remaining miss is explained there
    for (const k of ['deb (coverage)', 'deb (unit)', 'apk (coverage)', 'apk (unit)', 'npm (coverage)', 'rpm (coverage)']) {
      const t = byEcosystem.get(k);
      // a missing tally (no fixture read) must fail, not compare undefined with undefined
      expect(t, k).toBeDefined();
      expect(t?.expected, k).toBeGreaterThan(0);
      expect(t?.found, k).toBe(t?.expected);
    }
  }, 120_000);
});

function guessEcosystem(testFile: string): string {
  if (testFile.includes('/debian/')) return 'deb';
  if (testFile.includes('/alpine/')) return 'apk';
  if (testFile.includes('/redhat/')) return 'rpm';
  if (testFile.includes('/python/')) return 'pypi';
  if (testFile.includes('/javascript/')) return 'npm';
  if (testFile.includes('/golang/')) return 'golang';
  return 'maven';
}
