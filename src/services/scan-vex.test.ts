/**
 * `scan --vex-out` (vexForUnreachable) builds its OpenVEX through src/trust's openVexDocument. The
 * expected texts are the bytes vuln/vex.ts writeOpenVex wrote for these results before that move
 * (same clock and tool); the @id hashes pin the statements' JSON.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { parseVex, suppressingStatement } from '../vuln/vex.ts';
import { makeScanServices, type ScanResult, type ScannedFinding } from './scan.ts';

const unused = (): never => {
  throw new Error('vexForUnreachable reads no image, SBOM or database');
};

const scan = makeScanServices({
  log: silentLogger,
  clock: { now: () => new Date('2026-01-01T00:00:00Z') },
  sbom: { catalogSource: unused, openCatalogued: unused, readSbom: unused },
  openDb: unused,
  defaultDbPath: '',
  tool: { name: 'tollgate', version: '0.1.0' },
});

function finding(id: string, aliases: string[], purl: string, packageId: string, reachable: ScannedFinding['reachable'], evidence: string[]): ScannedFinding {
  return {
    id,
    aliases,
    advisories: [id],
    packageId,
    packageName: packageId,
    version: '1',
    purl,
    match: { ecosystem: 'Debian:12', name: packageId, version: '1', by: 'name' },
    affected: 'yes',
    fixed: [],
    severity: 'high',
    ratings: [],
    reachable,
    evidence,
  };
}

function result(subject: ScanResult['subject'], findings: ScannedFinding[], hidden: ScannedFinding[]): ScanResult {
  return {
    subject,
    db: { path: 'vuln.db', sources: [] },
    packages: [],
    findings,
    hidden,
    gaps: [],
    reachability: { status: 'resolved', argv: ['/usr/bin/app'], files: 1 },
    stats: { packages: 0, raw: findings.length + hidden.length, reachableYes: 0, reachableNo: 0, reachableUnknown: 0, suppressed: 0, matchMillis: 0, totalMillis: 0 },
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:00Z',
    tool: { name: 'tollgate', version: '0.1.0' },
    vex: [],
  };
}

const FINDINGS = [
  finding('CVE-2024-1', ['CVE-2024-1', 'DSA-9'], 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64', 'deb:curl', 'no', ['curl not in the execute path', 'no ELF reaches libcurl']),
  finding('CVE-2024-2', ['CVE-2024-2'], 'pkg:deb/debian/openssl@3.0.1-1', 'deb:openssl', 'no', ['openssl not reached']),
  finding('CVE-2024-3', ['CVE-2024-3'], 'pkg:deb/debian/expat@2.5.0-1', 'deb:expat', 'yes', ['reached']),
  finding('GHSA-aaaa-bbbb-cccc', [], '', 'npm:lodash@4.17.20', 'no', []),
  finding('CVE-2024-4', ['CVE-2024-4', 'GHSA-xxxx-yyyy-zzzz'], 'pkg:npm/minimist@1.2.0', 'npm:minimist', 'unknown', []),
];
const HIDDEN = [finding('CVE-2024-5', ['CVE-2024-5', 'DLA-1'], 'pkg:deb/debian/libxml2@2.9.14', 'deb:libxml2', 'no', ['libxml2 not reached'])];

const header = (id: string): Record<string, unknown> => ({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': `https://openvex.dev/docs/tollgate/${id}`,
  author: 'tollgate 0.1.0',
  timestamp: '2026-01-01T00:00:00.000Z',
  version: 1,
  tooling: 'tollgate reachability',
});
const statement = (product: string, vulnerability: Record<string, unknown>, subcomponent: string, impact: string): Record<string, unknown> => ({
  vulnerability,
  products: [{ '@id': product, subcomponents: [{ '@id': subcomponent }] }],
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  impact_statement: impact,
});
const text = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

describe('scan --vex-out (vexForUnreachable)', () => {
  it('writes the same bytes as before: unreachable findings and hidden ones, aliases without the id, purl or package id', () => {
    const image = `registry.example/app:1@sha256:${'ab'.repeat(32)}`;
    const out = scan.vexForUnreachable(result({ name: 'registry.example/app:1', digest: `sha256:${'ab'.repeat(32)}` }, FINDINGS, HIDDEN));
    expect(out).toBe(
      text({
        ...header('4f1f408e073b3b450a5aa3ff535305b687c3b1d16885c91ab724105595ebbaad'),
        statements: [
          statement(image, { name: 'CVE-2024-1', aliases: ['DSA-9'] }, 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64', 'curl not in the execute path; no ELF reaches libcurl'),
          statement(image, { name: 'CVE-2024-2', aliases: [] }, 'pkg:deb/debian/openssl@3.0.1-1', 'openssl not reached'),
          statement(image, { name: 'GHSA-aaaa-bbbb-cccc' }, 'npm:lodash@4.17.20', ''),
          statement(image, { name: 'CVE-2024-5', aliases: ['DLA-1'] }, 'pkg:deb/debian/libxml2@2.9.14', 'libxml2 not reached'),
        ],
      }),
    );
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('names the product without a digest when the subject has none; no unreachable finding → no statements', () => {
    const out = scan.vexForUnreachable(result({ name: 'sbom:app.cdx.json' }, FINDINGS, []));
    const doc = JSON.parse(out) as { '@id': string; statements: { products: { '@id': string }[] }[] };
    expect(doc['@id']).toBe('https://openvex.dev/docs/tollgate/ffc020aec5db0674f387dcb2a9c6350653769c9427c1f1682235fc39837e6e59');
    expect(doc.statements.map((s) => s.products[0]?.['@id'])).toEqual(['sbom:app.cdx.json', 'sbom:app.cdx.json', 'sbom:app.cdx.json']);
    expect(scan.vexForUnreachable(result({ name: 'sbom:empty.json' }, [], []))).toBe(
      text({ ...header('4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945'), statements: [] }),
    );
  });

  it('is read back by --vex and suppresses exactly the unreachable findings, by any alias', () => {
    const statements = parseVex(JSON.parse(scan.vexForUnreachable(result({ name: 'img', digest: 'sha256:00' }, FINDINGS, HIDDEN))), 'out.vex.json') ?? [];
    const suppressed = [...FINDINGS, ...HIDDEN].filter((f) => suppressingStatement({ ids: f.aliases.length > 0 ? f.aliases : [f.id], purl: f.purl, packageId: f.packageId }, statements) !== undefined);
    expect(suppressed.map((f) => f.id)).toEqual(['CVE-2024-1', 'CVE-2024-2', 'GHSA-aaaa-bbbb-cccc', 'CVE-2024-5']);
    expect(suppressingStatement({ ids: ['DSA-9'], purl: 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12', packageId: 'x' }, statements)).toBeDefined();
  });
});
