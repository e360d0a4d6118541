/**
 * Harness: trivy's lockfile integration cases (../shared/corpus/trivy-integration, test-map.json)
 * scanned by our catalogue + matcher against trivy's own test database fixtures, compared with
 * trivy's golden outputs. Prints the agreement and every difference with a reason; asserts that the
 * cases we catalogue agree exactly, and that every difference has a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { isCi } from '../testing/peers.ts';
import { readTrivyDb, type TrivyDb } from '../testing/trivy-db.ts';
import type { Advisory } from '../vuln/advisory.ts';
import { packageKey } from '../vuln/db.ts';
import { matchCatalog, matchKey } from '../vuln/match.ts';
import type { Package } from '../catalog/index.ts';
import { buildServices } from '../app/services.ts';
import { loadConfig, readEnvironment } from '../config/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const PYTHON_TYPES = new Set(['pip', 'pipenv', 'poetry', 'uv', 'pylock']);
const pep503 = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const ROOT = fileURLToPath(new URL('../../../shared/corpus/trivy-integration/', import.meta.url));
const present = existsSync(join(ROOT, 'test-map.json'));
if (!present && isCi) throw new Error(`the shared corpus is missing: ${ROOT}`);

interface Row {
  readonly name: string;
  readonly input: string;
  readonly golden: string;
  readonly args: Record<string, string>;
}

interface Golden {
  Results?: {
    Target: string;
    Type: string;
    Packages?: { Name: string; Version: string; Identifier?: { PURL?: string } }[];
    Vulnerabilities?: { VulnerabilityID: string; PkgName: string; InstalledVersion: string; FixedVersion?: string; PkgIdentifier?: { PURL?: string } }[];
  }[];
}

/** trivy's own package list (listAllPkgs goldens; else the vulnerable packages) as catalogue packages. */
function goldenPackages(golden: Golden): Package[] {
  const out = new Map<string, Package>();
  for (const r of golden.Results ?? []) {
    const list = [
      ...(r.Packages ?? []).map((p) => ({ name: p.Name, version: p.Version, purl: p.Identifier?.PURL })),
      ...(r.Vulnerabilities ?? []).map((v) => ({ name: v.PkgName, version: v.InstalledVersion, purl: v.PkgIdentifier?.PURL })),
    ];
    for (const p of list) {
      if (p.purl === undefined) continue;
      const id = `${p.purl}`;
      out.set(id, { id, name: p.name, version: p.version, ecosystem: 'generic', purl: p.purl, licenses: [], locations: [], foundBy: 'trivy-golden' });
    }
  }
  return [...out.values()];
}

interface CaseReport {
  readonly name: string;
  readonly golden: number;
  readonly ours: number;
  readonly agreed: number;
  readonly differences: { readonly key: string; readonly side: 'missing' | 'extra'; readonly reason: string }[];
}

let db: TrivyDb;
const reports: CaseReport[] = [];
/** The matcher alone, on trivy's own package lists: isolates matching from cataloguing. */
const matcherReports: CaseReport[] = [];

beforeAll(async () => {
  if (!present) return;
  db = readTrivyDb(join(ROOT, 'integration/testdata/fixtures/db'));
  const index = new Map<string, Advisory[]>();
  for (const a of db.advisories) {
    for (const e of a.affected) {
      const k = `${e.ecosystem}|${packageKey(e.ecosystem, e.name)}`;
      index.set(k, [...(index.get(k) ?? []), a]);
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-trivy-harness-'));
  const services = await buildServices(await loadConfig({ dataDir }, {}), readEnvironment({}), silentLogger);
  const sbom = services.sbom;
  const rows = (JSON.parse(readFileSync(join(ROOT, 'test-map.json'), 'utf8')) as Row[]).filter(
    (r) => r.args['scanner'] === 'types.VulnerabilityScanner' && r.input.startsWith('integration/testdata/fixtures/repo/') && r.golden.endsWith('.json.golden'),
  );
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.golden)) continue;
    seen.add(row.golden);
    const golden = JSON.parse(readFileSync(join(ROOT, row.golden), 'utf8')) as Golden;
    const expected = new Map<string, string>();
    // PyPI names compare PEP 503-normalised (trivy keeps `Werkzeug` as written in requirements.txt).
    for (const r of golden.Results ?? []) for (const v of r.Vulnerabilities ?? []) expected.set(`${PYTHON_TYPES.has(r.Type) ? pep503(v.PkgName) : v.PkgName}@${v.InstalledVersion}|${v.VulnerabilityID}`, r.Type);
    const catalogued = await sbom.catalogSource(`dir:${join(ROOT, row.input)}`);
    const matched = matchCatalog(catalogued.catalog, (ecosystem, name) => index.get(`${ecosystem}|${packageKey(ecosystem, name)}`) ?? []);
    const ours = new Map(matched.findings.map((f) => [`${f.match.ecosystem === 'PyPI' ? pep503(f.match.name) : f.match.name}@${f.version}|${f.id}`, f]));
    const differences: CaseReport['differences'] = [];
    const names = new Map<string, string[]>();
    for (const p of catalogued.catalog.packages) names.set(p.name, [...(names.get(p.name) ?? []), p.version]);
    for (const [key, type] of expected) {
      if (ours.has(key)) continue;
      const [pkgAt, id] = key.split('|') as [string, string];
      const at = pkgAt.lastIndexOf('@');
      const pkg = pkgAt.slice(0, at);
      const version = pkgAt.slice(at + 1);
      const versions = names.get(pkg) ?? names.get(pkg.split(':').pop() ?? pkg);
      const constraint = [...db.constraints.entries()].find(([k]) => k.endsWith(`|${pkg}|${id}`))?.[1].join(' | ') ?? '?';
      const reason =
        catalogued.catalog.packages.length === 0
          ? `no cataloguer reads ${type} lockfiles yet (catalog area): nothing catalogued`
          : versions === undefined
            ? `${pkg} not catalogued from the ${type} lockfile (our cataloguer lists ${String(catalogued.catalog.packages.length)} packages)`
            : !versions.includes(version)
              ? `${pkg} catalogued at ${versions.join(', ')}, trivy reports ${version}`
              : `catalogued but not matched; trivy constraint "${constraint}"${db.unconverted.some((u) => u.id === id && u.pkg === pkg) ? ' (not expressible as an OSV range)' : ''}`;
      differences.push({ key, side: 'missing', reason });
    }
    for (const [key, f] of ours) {
      if (expected.has(key)) continue;
      const constraint = [...db.constraints.entries()].find(([k]) => k.endsWith(`|${f.match.name}|${f.id}`))?.[1].join(' | ') ?? '?';
      const reason = f.affected === 'unknown' ? `affected: unknown (${f.reason ?? ''}); trivy decided` : `trivy's golden omits it; constraint "${constraint}" contains ${f.version} (trivy skips dev/indirect packages in this case or treats the constraint differently)`;
      differences.push({ key, side: 'extra', reason });
    }
    {
      const pkgs = goldenPackages(golden);
      const m = matchCatalog({ packages: pkgs }, (ecosystem, name) => index.get(`${ecosystem}|${packageKey(ecosystem, name)}`) ?? []);
      const mine = new Map(m.findings.map((f) => [`${f.match.ecosystem === 'PyPI' ? pep503(f.packageName) : f.packageName}@${f.version}|${f.id}`, f]));
      const diffs: CaseReport['differences'] = [];
      for (const key of expected.keys()) {
        if (mine.has(key)) continue;
        const pkg = pkgs.find((p) => key.startsWith(`${p.name}@${p.version}|`));
        const k = pkg === undefined ? undefined : matchKey(pkg, undefined);
        const reason =
          pkg !== undefined && k === undefined
            ? `purl type of ${pkg.purl} has no OSV ecosystem (OSV has none for CocoaPods; trivy looks pods up in its Swift bucket by git URL)`
            : `not matched (${db.unconverted.find((u) => key.endsWith(`|${u.id}`))?.reason ?? 'see constraint in fixtures/db'})`;
        diffs.push({ key, side: 'missing', reason });
      }
      for (const [key, f] of mine) {
        if (expected.has(key)) continue;
        const constraint = [...db.constraints.entries()].find(([k]) => k.endsWith(`|${f.match.name}|${f.id}`))?.[1].join(' | ') ?? '?';
        diffs.push({ key, side: 'extra', reason: f.affected === 'unknown' ? `affected: unknown (${f.reason ?? ''})` : `constraint "${constraint}" contains ${f.version}; trivy omits it` });
      }
      matcherReports.push({ name: row.name, golden: expected.size, ours: mine.size, agreed: [...expected.keys()].filter((k) => mine.has(k)).length, differences: diffs });
    }
    reports.push({ name: row.name, golden: expected.size, ours: ours.size, agreed: [...expected.keys()].filter((k) => ours.has(k)).length, differences });
  }
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
  const total = reports.reduce((n, r) => n + r.golden, 0);
  const agreed = reports.reduce((n, r) => n + r.agreed, 0);
  const lines = [`trivy lockfile harness: ${String(agreed)}/${String(total)} golden findings reproduced across ${String(reports.length)} cases`];
  for (const r of reports) {
    lines.push(`  ${r.name}: golden ${String(r.golden)}, ours ${String(r.ours)}, agreed ${String(r.agreed)}`);
    for (const d of r.differences) lines.push(`    ${d.side} ${d.key}: ${d.reason}`);
  }
  const mTotal = matcherReports.reduce((n, r) => n + r.golden, 0);
  const mAgreed = matcherReports.reduce((n, r) => n + r.agreed, 0);
  lines.push(`matcher only (trivy's package lists): ${String(mAgreed)}/${String(mTotal)} golden findings reproduced, ${String(matcherReports.reduce((n, r) => n + r.differences.filter((d) => d.side === 'extra').length, 0))} extra`);
  for (const r of matcherReports) for (const d of r.differences) lines.push(`    ${r.name}: ${d.side} ${d.key}: ${d.reason}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}, 600_000);

describe.skipIf(!present)('trivy lockfile harness', () => {
  it('runs every lockfile case and explains every difference', () => {
    expect(reports.length).toBeGreaterThan(10);
    for (const r of reports) for (const d of r.differences) expect(d.reason).not.toBe('');
  });

  it('the matcher alone reproduces every golden finding it can express, with no extras', () => {
    const extras = matcherReports.flatMap((r) => r.differences.filter((d) => d.side === 'extra'));
    expect(extras).toEqual([]);
    const unexplained = matcherReports.flatMap((r) => r.differences.filter((d) => !d.reason.includes('no OSV ecosystem')));
    expect(unexplained).toEqual([]);
  });

  it('agrees exactly on the cases whose ecosystems we catalogue and OSV covers', () => {
    for (const name of ['npm', 'yarn', 'pnpm', 'bun', 'pip', 'pipenv', 'poetry', 'uv', 'pylock', 'gomod', 'pom', 'gradle', 'sbt', 'conan', 'nuget', 'dotnet']) {
      const r = reports.find((x) => x.name === name);
      expect(r, name).toBeDefined();
      expect(r?.differences.filter((d) => d.side === 'missing' || d.side === 'extra'), name).toEqual([]);
    }
  });
});
