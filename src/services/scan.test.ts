/**
 * Ground truth from real Debian facts: the debian-vuln lab image holds OLDER bookworm uploads of
 * curl, openssl, expat and libxml2; Debian:12 OSV records are derived from the CURRENT uploads'
 * changelog.Debian.gz (src/testing/debian-osv.ts). The expected findings are computed
 * independently with `dpkg --compare-versions`, never from our own matcher.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Package } from '../catalog/index.ts';
import { writeCycloneDx } from '../catalog/sbom/cyclonedx.ts';
import { writeSpdx } from '../catalog/sbom/spdx.ts';
import { silentLogger, systemClock } from '../core/logger.ts';
import { readImage } from '../image/index.ts';
import { debianOsvRecords, dpkgLessThan, type CurrentDeb, type DebianOsvRecord } from '../testing/debian-osv.ts';
import { labImage, labRootfs, type LabImage, type LabRootfs } from '../testing/lab.ts';
import { openSqliteVulnDb } from '../vuln-db/sqlite.ts';
import type { Advisory } from '../vuln/advisory.ts';
import { matchCatalog } from '../vuln/match.ts';
import { normaliseDocument } from '../vuln/registry.ts';
import { buildServices, type Services } from '../app/services.ts';
import { loadConfig, readEnvironment } from '../config/index.ts';
import { makeScanServices, type ScanResult, type ScanServices } from './scan.ts';

const BINARIES = ['curl', 'openssl', 'libexpat1', 'libxml2'];

let img: LabImage;
let rootfs: LabRootfs;
let records: DebianOsvRecord[];
let current: CurrentDeb[];
let dir: string;
let dbPath: string;
let scan: ScanServices;
let services: Services;
let result: ScanResult;
let source: string;

function toAdvisories(docs: readonly DebianOsvRecord[]): Advisory[] {
  const out: Advisory[] = [];
  for (const doc of docs) {
    const item = normaliseDocument(JSON.parse(JSON.stringify(doc)));
    if (item.kind === 'advisories') out.push(...item.advisories);
  }
  return out;
}

/** "openssl (3.0.1-1)" → name and version; no parentheses → the binary's own version. */
function sourceOf(binary: { name: string; version: string; source?: string }): { name: string; version: string } {
  const raw = binary.source ?? binary.name;
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(raw);
  return { name: m?.[1] ?? binary.name, version: m?.[2] ?? binary.version };
}

beforeAll(async () => {
  img = await labImage('debian-vuln');
  rootfs = await labRootfs('debian-vuln');
  ({ records, current } = await debianOsvRecords(BINARIES));
  dir = mkdtempSync(join(tmpdir(), 'tollgate-scan-'));
  dbPath = join(dir, 'vuln.db');
  const db = openSqliteVulnDb(dbPath, { create: true });
  const advisories = toAdvisories(records);
  db.replaceSource({ name: 'debian-changelogs', kind: 'folder', importedAt: new Date().toISOString(), advisories: advisories.length, affected: advisories.length, skipped: 0 }, advisories);
  db.close();
  // The real composition root: the same SBOM step and database adapter the CLI uses.
  services = await buildServices(await loadConfig({ dataDir: join(dir, 'data') }, {}), readEnvironment({}), silentLogger);
  scan = services.scan;
  source = `oci:${img.ociLayout}:${img.ociLayoutTag}`;
  result = await scan.scan(source, { db: dbPath });
}, 600_000);

afterAll(async () => {
  await services?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('scan: Debian ground truth (debian-vuln lab image × changelog-derived Debian:12 OSV)', () => {
  it('derives real records from the current changelogs', () => {
    expect(records.length).toBeGreaterThan(50);
    expect(new Set(records.map((r) => r.affected[0]?.package.name))).toEqual(new Set(['curl', 'openssl', 'expat', 'libxml2']));
  });

  it('finds exactly the CVEs whose fixed version is newer than the installed one (dpkg --compare-versions), by source package', () => {
    const expected = new Set<string>();
    const bySource = new Map<string, DebianOsvRecord[]>();
    for (const r of records) {
      const name = r.affected[0]?.package.name ?? '';
      bySource.set(name, [...(bySource.get(name) ?? []), r]);
    }
    for (const binary of rootfs.dpkg) {
      const src = sourceOf(binary);
      for (const r of bySource.get(src.name) ?? []) {
        const fixed = r.affected[0]?.ranges[0]?.events.find((e): e is { fixed: string } => 'fixed' in e)?.fixed;
        if (fixed !== undefined && dpkgLessThan(src.version, fixed)) expected.add(`${binary.name}|${r.id}`);
      }
    }
    const actual = new Set([...result.findings, ...result.hidden].map((f) => `${f.packageName}|${f.id}`));
    expect(expected.size).toBeGreaterThan(10);
    expect([...actual].filter((x) => !expected.has(x)).sort()).toEqual([]);
    expect([...expected].filter((x) => !actual.has(x)).sort()).toEqual([]);
    // Matched by SOURCE package: libssl3 (source openssl) and libcurl4 (source curl) have findings.
    expect([...actual].some((x) => x.startsWith('libssl3|'))).toBe(true);
    expect([...actual].some((x) => x.startsWith('libcurl4|'))).toBe(true);
    for (const f of [...result.findings, ...result.hidden]) {
      expect(f.affected).toBe('yes');
      expect(f.fixed.length).toBe(1);
    }
  });

  it('matching through the lookup table (matching form, heads after evaluation) gives what the advisories as imported give; nothing for the current uploads', () => {
    const deb = (name: string, version: string, src: { name: string; version: string }): Package => ({
      id: `deb:${name}@${version}`,
      name,
      version,
      ecosystem: 'deb',
      purl: `pkg:deb/debian/${name}@${version}`,
      licenses: [],
      source: src,
      locations: [],
      foundBy: 'test',
    });
    // Every package dpkg lists in the image (older uploads), and the current uploads.
    const installed = rootfs.dpkg.map((b) => deb(b.name, b.version, sourceOf(b)));
    const latest = current.map((c) => deb(c.name, c.version, { name: c.source, version: c.version }));
    const distro = { id: 'debian', versionId: '12' };
    const db = openSqliteVulnDb(dbPath, { create: false });
    try {
      for (const packages of [installed, latest]) {
        // The VulnDb as a MatchSource is what scan.ts runs; advisoriesFor is the reference.
        const production = matchCatalog({ packages, distro }, db);
        const reference = matchCatalog({ packages, distro }, (e, n) => db.advisoriesFor(e, n));
        expect(production).toEqual(reference);
      }
      expect(matchCatalog({ packages: installed, distro }, db).findings.length).toBeGreaterThan(10);
      expect(matchCatalog({ packages: latest, distro }, db).findings).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('reachability: ENTRYPOINT /bin/sh -c reaches dash and libc6, not curl or openssl', () => {
    expect(result.reachability.status).toBe('resolved');
    const byPkg = new Map([...result.findings, ...result.hidden].map((f) => [f.packageName, f.reachable]));
    expect(byPkg.get('libssl3')).toBe('no');
    expect(byPkg.get('curl')).toBe('no');
    expect(result.stats.reachableNo).toBe(result.stats.raw);
    const measured = { raw: result.stats.raw, no: result.stats.reachableNo, yes: result.stats.reachableYes, unknown: result.stats.reachableUnknown, filesReached: result.reachability.files };
    writeFileSync(join(dir, 'measure.json'), JSON.stringify(measured));
    process.stderr.write(`reachability on debian-vuln: ${JSON.stringify(measured)}\n`);
  });

  it('reachability with ENTRYPOINT ["curl"]: curl, libcurl4 and libssl3 are reached (DT_NEEDED), openssl/expat/libxml2 are not', async () => {
    const curlScan = makeScanServices({
      log: silentLogger,
      clock: systemClock,
      sbom: services.sbom,
      openImage: async (src, options) => {
        const r = await readImage(src, { want: options.want });
        return { tree: r.tree, config: { ...r.image.config, config: { ...r.image.config.config, Entrypoint: ['curl'], Cmd: ['--version'] } }, close: async () => undefined };
      },
      openDb: (path) => openSqliteVulnDb(path, { create: false }),
      defaultDbPath: dbPath,
      tool: { name: 'tollgate', version: 'test' },
    });
    const r = await curlScan.scan(source, { db: dbPath });
    const reach = new Map<string, string>();
    for (const f of [...r.findings, ...r.hidden]) reach.set(f.packageName, f.reachable);
    expect(Object.fromEntries(reach)).toEqual({ curl: 'yes', libcurl4: 'yes', libssl3: 'yes', openssl: 'no', libexpat1: 'no', libxml2: 'no' });
    const libssl = r.findings.find((f) => f.packageName === 'libssl3');
    expect(libssl?.evidence.join(' → ')).toMatch(/curl.*DT_NEEDED libcurl\.so\.4.*DT_NEEDED lib(ssl|crypto)\.so\.3/);
    process.stderr.write(`reachability on debian-vuln with ENTRYPOINT curl: ${JSON.stringify({ raw: r.stats.raw, no: r.stats.reachableNo, yes: r.stats.reachableYes, unknown: r.stats.reachableUnknown, filesReached: r.reachability.files })}\n`);
  }, 300_000);

  it('one read of the image serves catalogue and reachability: each layer is read once (cold caches)', async () => {
    const fresh = await buildServices(await loadConfig({ dataDir: join(dir, 'data-once') }, {}), readEnvironment({}), silentLogger);
    try {
      const reads: { layersRead?: number; layersCached?: number; imageCacheHit: boolean }[] = [];
      let secondReads = 0;
      const once = makeScanServices({
        log: silentLogger,
        clock: systemClock,
        sbom: {
          readSbom: fresh.sbom.readSbom,
          catalogSource: async (src, options) => {
            secondReads++;
            return fresh.sbom.catalogSource(src, options);
          },
          openCatalogued: async (src, options) => {
            const opened = await fresh.sbom.openCatalogued(src, options);
            reads.push(opened.stats);
            return opened;
          },
        },
        openDb: (path) => openSqliteVulnDb(path, { create: false }),
        defaultDbPath: dbPath,
        tool: { name: 'tollgate', version: 'test' },
      });
      const r = await once.scan(source, { db: dbPath });
      const layers = (await readImage(source, { want: () => false })).layers.length;
      expect(layers).toBeGreaterThan(0);
      expect(secondReads).toBe(0);
      expect(reads).toHaveLength(1);
      expect(reads[0]?.imageCacheHit).toBe(false);
      expect(reads[0]?.layersRead).toBe(layers);
      expect(reads[0]?.layersCached).toBe(0);
      expect(r.reachability.status).toBe('resolved');
      const reachOf = (s: ScanResult): Record<string, string> => Object.fromEntries([...s.findings, ...s.hidden].map((f) => [`${f.id} ${f.packageName}`, f.reachable]));
      expect(reachOf(r)).toEqual(reachOf(result));
    } finally {
      await fresh.close();
    }
  }, 300_000);

  it('--ignore-unreachable hides the not-reachable findings; --vex-out → --vex suppresses them, shown', async () => {
    const hidden = await scan.scan(source, { db: dbPath, ignoreUnreachable: true });
    expect(hidden.findings.filter((f) => f.reachable === 'no')).toEqual([]);
    expect(hidden.hidden.length).toBe(result.stats.reachableNo);
    const vexPath = join(dir, 'out.vex.json');
    writeFileSync(vexPath, scan.vexForUnreachable(result));
    const vex = JSON.parse(readFileSync(vexPath, 'utf8')) as { statements: { status: string; justification: string }[] };
    expect(vex.statements.length).toBe(result.stats.reachableNo);
    expect(vex.statements.every((s) => s.status === 'not_affected' && s.justification === 'vulnerable_code_not_in_execute_path')).toBe(true);
    const suppressed = await scan.scan(source, { db: dbPath, vex: [vexPath] });
    expect(suppressed.stats.suppressed).toBe(result.stats.reachableNo);
    expect(suppressed.hidden.every((f) => f.suppressed?.status === 'not_affected')).toBe(true);
  });

  it('renders SARIF 2.1.0, CycloneDX 1.6 with vulnerabilities and the cosign vuln predicate', () => {
    const sarif = JSON.parse(scan.render(result, 'sarif')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.length).toBe(result.stats.raw);
    const cdx = JSON.parse(scan.render(result, 'cyclonedx')) as { specVersion: string; vulnerabilities: { id: string; affects: unknown[] }[] };
    expect(cdx.specVersion).toBe('1.6');
    expect(new Set(cdx.vulnerabilities.map((v) => v.id))).toEqual(new Set(result.findings.map((f) => f.id)));
    const statement = JSON.parse(scan.render(result, 'in-toto')) as { _type: string; subject: unknown[]; predicateType: string; predicate: { scanner: { result: unknown } } };
    expect(statement.predicateType).toBe('https://cosign.sigstore.dev/attestation/vuln/v1');
    expect(statement.predicate.scanner.result).toBeDefined();
    expect(statement).toMatchObject({ _type: 'https://in-toto.io/Statement/v1', subject: [{ digest: { sha256: result.subject.digest?.slice('sha256:'.length) } }] });
    // no digest (an SBOM file as input): no statement, a clear error
    expect(() => scan.render({ ...result, subject: { name: 'sbom:x.json' } }, 'in-toto')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('scans an SBOM as the image it names (its digest is the in-toto subject); one naming none is refused before matching', async () => {
    const catalog = { packages: result.packages, relationships: [], unknowns: [], ...(result.distro !== undefined ? { distro: result.distro } : {}) };
    const tool = { name: 'tollgate', version: '0.0.0-test' };
    const ids = (r: ScanResult): string[] => [...r.findings, ...r.hidden].map((f) => `${f.packageName}|${f.id}`).sort();
    for (const [name, write] of [['named.cdx.json', writeCycloneDx], ['named.spdx.json', writeSpdx]] as const) {
      const path = join(dir, name);
      writeFileSync(path, write(catalog, { subject: result.subject, tool, reproducible: true }));
      const scanned = await scan.scan(`sbom:${path}`, { db: dbPath, requireDigest: true });
      expect(scanned.subject).toEqual(result.subject);
      expect(ids(scanned)).toEqual(ids(result));
      const statement = JSON.parse(scan.render(scanned, 'in-toto')) as { subject: { name: string; digest: Record<string, string> }[] };
      expect(statement.subject).toEqual([{ name: result.subject.name, digest: { sha256: result.subject.digest?.slice('sha256:'.length) } }]);
    }
    const unnamed = join(dir, 'unnamed.cdx.json');
    writeFileSync(unnamed, writeCycloneDx(catalog, { subject: { name: 'some-image' }, tool, reproducible: true }));
    const missingDb = join(dir, 'no-such.db');
    // refused as soon as the SBOM is read: the missing database is never reached
    await expect(scan.scan(`sbom:${unnamed}`, { db: missingDb, requireDigest: true })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { subject: unnamed } });
    await expect(scan.scan(`sbom:${unnamed}`, { db: missingDb })).rejects.toMatchObject({ code: 'VULN_DB_MISSING' });
    // a folder has no digest either: refused after cataloguing, before the database
    const folder = join(dir, 'a-folder');
    mkdirSync(join(folder, 'etc'), { recursive: true });
    writeFileSync(join(folder, 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
    await expect(scan.scan(`dir:${folder}`, { db: missingDb, requireDigest: true })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { subject: `dir:${folder}` } });
  });
});
