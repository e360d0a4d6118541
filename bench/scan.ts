/**
 * scan: import the shared OSV corpus (tollgate db import), then match a 2,000-package CycloneDX
 * SBOM — language packages (PyPI, Go, npm) and AlmaLinux 9 rpms named by the corpus, at and just
 * below their fixed versions — against the opened database through the scan's matcher
 * (readSbom → matchCatalog with the batched lookup and severity ratings), in fresh child processes
 * (bench/scan-match.ts): reports the first open + match of a process (what one `tollgate scan` pays)
 * and the later ones (a long-running gate), each after a fresh open. Targets: import under 20 s,
 * matching under 200 ms.
 * Peer (full run): Renovate's offline OSV database (@renovatebot/osv-offline-db, bench/peers/osv-offline.ts)
 * over the same corpus's Go and PyPI records, one OSV record per line as osv.dev exports them (with
 * the purls osv.dev adds), asked for the SBOM's Go and PyPI packages in a fresh process; it only looks
 * advisories up (no version matching), Tollgate matches the same packages: both first in a process.
 * --smoke: go-vulndb + PyPI only, 500 packages, no peer.
 */
import * as fsp from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readSbom, writeCycloneDx, type Catalog, type Package } from '../src/catalog/index.ts';
import { silentLogger, systemClock } from '../src/core/logger.ts';
import { makeVulnDbServices, type ImportReport } from '../src/services/vuln-db.ts';
import { unpackAffected, type PackedAffected } from '../src/vuln/advisory.ts';
import { openSqliteVulnDb } from '../src/vuln-db/sqlite.ts';
import { measureFunction, summarise, type Measurement } from './measure.ts';
import { ensureBenchPeers } from './peers/install.ts';
import type { Benchmark, BenchComparison, BenchRow } from './types.ts';

const execFileAsync = promisify(execFile);

/**
 * Runs Node on a script in a child that a small shell forks: a child forked straight from this
 * process would report this process's resident size as its own peak (Linux carries the RSS high-water
 * mark across fork and exec), and the bench process holds the whole corpus import.
 */
function runNode(args: readonly string[]): Promise<{ stdout: string }> {
  return execFileAsync('sh', ['-c', '"$0" "$@"; exit $?', process.execPath, ...args], { maxBuffer: 16 * 1024 * 1024 });
}
const MATCHER = fileURLToPath(new URL('./scan-match.ts', import.meta.url));
const OSV_OFFLINE = fileURLToPath(new URL('./peers/osv-offline.ts', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../shared/corpus/osv/', import.meta.url));
const FOLDERS = ['go-vulndb', 'pypa-advisory-db-json', 'almalinux', 'alpine-secdb', 'nodejs-security-wg-npm', 'trivy-db-samples'];
const PURL_TYPES: Readonly<Record<string, string>> = { PyPI: 'pypi', Go: 'golang', npm: 'npm' };

function lowerLast(version: string): string {
  return version.replace(/[0-9]+(?=[^0-9]*$)/, (d) => (d === '0' ? '0' : String(Number(d) - 1)));
}

function purlName(type: string, name: string): string {
  if (type === 'golang' || (type === 'npm' && name.startsWith('@'))) return name.split('/').map(encodeURIComponent).join('/');
  return encodeURIComponent(name);
}

/** The OSV ecosystems of the peer (osv-offline-db) and the corpus folders holding them. */
const PEER_FOLDERS: Readonly<Record<string, { folder: string; purlType: string; packageEcosystem: Package['ecosystem'] }>> = {
  Go: { folder: 'go-vulndb', purlType: 'golang', packageEcosystem: 'golang' },
  PyPI: { folder: 'pypa-advisory-db-json', purlType: 'pypi', packageEcosystem: 'pypi' },
};

/**
 * The peer's database: `<root>/<ecosystem>.nedb`, one OSV record per line, with the package purl
 * osv.dev's exports carry (the corpus's Go records have none; the peer matches on it).
 */
async function writePeerDatabase(root: string): Promise<void> {
  await fsp.mkdir(root, { recursive: true });
  for (const [ecosystem, { folder, purlType }] of Object.entries(PEER_FOLDERS)) {
    const lines: string[] = [];
    for (const file of (await fsp.readdir(join(CORPUS, folder))).filter((f) => f.endsWith('.json')).sort()) {
      const record = JSON.parse(await fsp.readFile(join(CORPUS, folder, file), 'utf8')) as { affected?: { package?: { name?: string; ecosystem?: string; purl?: string } }[] };
      for (const affected of record.affected ?? []) {
        const pkg = affected.package;
        if (pkg?.name !== undefined && pkg.purl === undefined && pkg.ecosystem === ecosystem) pkg.purl = `pkg:${purlType}/${purlName(purlType, pkg.name)}`;
      }
      lines.push(JSON.stringify(record));
    }
    await fsp.writeFile(join(root, `${ecosystem.toLowerCase()}.nedb`), `${lines.join('\n')}\n`);
  }
}

/** A 2,000-package catalogue sampled from the database's own affected entries. */
function sampleCatalog(dbPath: string, size: number): Catalog {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  const rows = db
    // data is the packed entry: [pk, ecosystem, name, ...]
    .prepare(
      `SELECT ecosystem, name, data FROM (SELECT json_extract(data, '$[1]') AS ecosystem, json_extract(data, '$[2]') AS name, data, rowid FROM affected)
       WHERE (ecosystem IN ('PyPI','Go','npm') OR ecosystem = 'AlmaLinux:9') GROUP BY ecosystem, name ORDER BY name LIMIT ?`,
    )
    .all(size) as unknown as { ecosystem: string; name: string; data: string }[];
  db.close();
  const packages: Package[] = rows.map((r, i) => {
    // affected.data holds the entry packed (PackedAffected); unpackAffected gives the OSV form.
    const fixed = unpackAffected(JSON.parse(r.data) as PackedAffected).fixed[0] ?? '1.0.0';
    const version = i % 2 === 0 ? fixed : lowerLast(fixed);
    if (r.ecosystem === 'AlmaLinux:9') {
      const purl = `pkg:rpm/almalinux/${encodeURIComponent(r.name)}@${encodeURIComponent(version)}?distro=almalinux-9`;
      return { id: `rpm:${r.name}@${version}`, name: r.name, version, ecosystem: 'rpm', purl, licenses: [], locations: [], foundBy: 'bench' };
    }
    const type = PURL_TYPES[r.ecosystem.split(':')[0] ?? ''] ?? 'generic';
    const purl = `pkg:${type}/${purlName(type, r.name)}@${encodeURIComponent(version)}`;
    const eco = type === 'pypi' ? 'pypi' : type === 'golang' ? 'golang' : 'npm';
    return { id: `${eco}:${r.name}@${version}`, name: r.name, version, ecosystem: eco, purl, licenses: [], locations: [], foundBy: 'bench' };
  });
  // Versions come from the advisories' own fixed versions: if they all collapse to the fallback, the
  // sampling no longer reads the stored entries right and the figures would measure something else.
  if (new Set(packages.map((p) => p.version)).size < packages.length / 10) throw new Error('bench/scan: the sampled versions are degenerate (does sampleCatalog read affected.data right?)');
  return { distro: { id: 'almalinux', versionId: '9.4' }, packages, relationships: [], unknowns: [] };
}

/**
 * The peer and Tollgate on the SBOM's Go and PyPI packages (what the peer's database holds), each
 * the first lookup/match of a fresh process, `runs` processes each, alternating.
 */
async function runPeer(dir: string, dbPath: string, catalog: Catalog, runs: number, log: (message: string) => void): Promise<{ rows: BenchRow[]; comparisons: BenchComparison[] }> {
  const peersDir = join(await ensureBenchPeers(log), '..');
  const root = join(dir, 'osv-offline');
  await writePeerDatabase(root);
  const byPackageEcosystem = new Map(Object.entries(PEER_FOLDERS).map(([ecosystem, f]) => [f.packageEcosystem, ecosystem]));
  const subset = catalog.packages.filter((p) => byPackageEcosystem.has(p.ecosystem));
  const listPath = join(dir, 'peer-packages.json');
  await fsp.writeFile(listPath, JSON.stringify(subset.map((p) => [byPackageEcosystem.get(p.ecosystem), p.name])));
  const sbomPath = join(dir, 'peer-sbom.cdx.json');
  await fsp.writeFile(sbomPath, writeCycloneDx({ ...catalog, packages: subset }, { subject: { name: 'bench-sbom-go-pypi' }, tool: { name: 'tollgate', version: 'bench' }, reproducible: true, now: new Date(0), randomUuid: () => '00000000-0000-4000-8000-000000000000' }));
  const ours: Measurement[] = [];
  const theirs: Measurement[] = [];
  let found = { findings: 0, advisories: 0 };
  for (let i = 0; i < runs; i++) {
    const tollgate = JSON.parse((await runNode([MATCHER, dbPath, sbomPath, '1', catalog.distro?.id ?? '', catalog.distro?.versionId ?? ''])).stdout) as { times: number[]; findings: number; peakRss: number };
    const other = JSON.parse((await runNode([OSV_OFFLINE, peersDir, root, listPath])).stdout) as { millis: number; advisories: number; peakRss: number };
    ours.push({ seconds: (tollgate.times[0] ?? 0) / 1000, peakRss: tollgate.peakRss });
    theirs.push({ seconds: other.millis / 1000, peakRss: other.peakRss });
    found = { findings: tollgate.findings, advisories: other.advisories };
  }
  // A peer that finds nothing measures nothing (its database would not be what it reads in use).
  if (found.advisories === 0 || found.findings === 0) throw new Error('bench/scan: the peer or Tollgate found no advisories for the Go + PyPI packages');
  const input = `${String(subset.length)} Go + PyPI packages of the SBOM`;
  const mine = summarise(ours);
  const peer = summarise(theirs);
  return {
    rows: [
      { input, subject: `tollgate: open + match, first in a fresh process (median of ${String(runs)})`, measurement: mine, notes: `${String(found.findings)} findings` },
      { input, subject: `@renovatebot/osv-offline-db: open + look up, no version matching (median of ${String(runs)})`, measurement: peer, notes: `${String(found.advisories)} advisories returned (candidates, not findings)` },
    ],
    comparisons: [{ input, label: 'osv-offline-db lookup vs tollgate match', speedup: peer.seconds / mine.seconds }],
  };
}

export const scan: Benchmark = {
  name: 'scan',
  description: 'match a 2,000-package SBOM against the whole shared OSV corpus database (after open); corpus import time',
  async run({ smoke, repeats, log }) {
    if (!existsSync(CORPUS)) throw new Error('corpus missing: ../shared/corpus/osv');
    const folders = (smoke ? FOLDERS.slice(0, 2) : FOLDERS).map((f) => join(CORPUS, f));
    const dir = await fsp.mkdtemp(join(tmpdir(), 'tollgate-bench-scan-'));
    const dbPath = join(dir, 'vuln.db');
    let n = 0;
    const services = makeVulnDbServices({ openDb: openSqliteVulnDb, fs: fsp, fetch, clock: systemClock, log: silentLogger, defaultDbPath: dbPath, join, dirname, tempSuffix: () => String(++n) });
    try {
      let report: ImportReport | undefined;
      const importing = await measureFunction(async () => {
        report = await services.importSources(folders);
      });
      const size = smoke ? 500 : 2000;
      const catalog = sampleCatalog(dbPath, size);
      const sbomText = writeCycloneDx(catalog, { subject: { name: 'bench-sbom' }, tool: { name: 'tollgate', version: 'bench' }, reproducible: true, now: new Date(0), randomUuid: () => '00000000-0000-4000-8000-000000000000' });
      const sbomPath = join(dir, 'sbom.cdx.json');
      await fsp.writeFile(sbomPath, sbomText);
      const packages = readSbom(sbomText).packages.length;
      // A fresh process per measurement, as `tollgate scan` runs: its first open + match pays for
      // module JIT and heap growth; the later ones in the same process show the steady state a
      // long-running registry gate sees. Nothing is cached across opens.
      const matchRuns = smoke ? 3 : 9;
      const perProcess: { times: number[]; findings: number; yes: number; unknown: number; peakRss: number }[] = [];
      for (let i = 0; i < Math.max(repeats, 1); i++) {
        const { stdout } = await runNode([MATCHER, dbPath, sbomPath, String(matchRuns), catalog.distro?.id ?? '', catalog.distro?.versionId ?? '']);
        perProcess.push(JSON.parse(stdout) as (typeof perProcess)[number]);
      }
      // peak RSS: of the whole matching process (modules, SBOM, database pages, findings)
      const asMeasurement = (ms: number, peakRss: number): Measurement => ({ seconds: ms / 1000, peakRss });
      const firsts = perProcess.map((p) => asMeasurement(p.times[0] ?? 0, p.peakRss));
      const steady = perProcess.flatMap((p) => p.times.slice(1).map((ms) => asMeasurement(ms, p.peakRss)));
      const { findings, yes, unknown } = perProcess[0] ?? { findings: 0, yes: 0, unknown: 0 };
      const first = summarise(firsts);
      const matching = summarise(steady.length > 0 ? steady : firsts);
      const ms = (m: Measurement): string => (m.seconds * 1000).toFixed(0);
      const advisories = report?.sources.reduce((sum, s) => sum + s.advisories, 0) ?? 0;
      const firstList = firsts.map(ms).join(', ');
      log(`scan: import ${importing.seconds.toFixed(2)} s; matching ${String(packages)} packages: first in a process ${ms(first)} ms (median of ${String(firsts.length)} processes: ${firstList}), steady ${ms(matching)} ms (median of ${String(steady.length)})`);
      const peer = smoke ? undefined : await runPeer(dir, dbPath, catalog, Math.max(repeats, 3), log);
      return {
        rows: [
          { input: smoke ? 'go-vulndb + PyPI' : 'shared OSV corpus (6 folders)', subject: 'tollgate db import', measurement: importing, notes: `${String(advisories)} advisories` },
          { input: `${String(packages)}-package CycloneDX SBOM`, subject: `tollgate scan: open + match, first in a fresh process (median of ${String(firsts.length)})`, measurement: first, notes: `what one \`tollgate scan\` pays: runs ${firstList} ms` },
          { input: `${String(packages)}-package CycloneDX SBOM`, subject: `tollgate scan: open + match, later in the process (median of ${String(steady.length)})`, measurement: matching, notes: `${String(findings)} findings (${String(yes)} yes, ${String(unknown)} unknown); a fresh open each, no cache carried over` },
          ...(peer?.rows ?? []),
        ],
        comparisons: peer?.comparisons ?? [],
        notes: [
          `corpus import: ${importing.seconds.toFixed(2)} s; target under 20 s: ${smoke ? 'n/a (smoke)' : importing.seconds < 20 ? 'met' : 'NOT met'}`,
          `open + match ${String(packages)} packages: first in a fresh process ${ms(first)} ms, later in the process ${ms(matching)} ms; target under 200 ms: first ${first.seconds < 0.2 ? 'met' : 'NOT met'}, later ${matching.seconds < 0.2 ? 'met' : 'NOT met'}`,
        ],
      };
    } finally {
      // TOLLGATE_BENCH_KEEP=1 keeps the database and SBOM for profiling (the folder is logged).
      if (process.env['TOLLGATE_BENCH_KEEP'] === '1') log(`scan: kept ${dir}`);
      else await fsp.rm(dir, { recursive: true, force: true });
    }
  },
};
