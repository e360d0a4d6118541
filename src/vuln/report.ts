/**
 * Scan reports (pure): the result model and its renderings — JSON, SARIF 2.1.0, CycloneDX 1.6 with
 * vulnerabilities, and the cosign vulnerability predicate (https://cosign.sigstore.dev/attestation/vuln/v1).
 */
import type { Tri } from '../core/result.ts';
import type { Distro, Package } from '../catalog/model.ts';
import type { Finding, MatchGap } from './match.ts';
import { levelRank, SEVERITY_LEVELS, type SeverityLevel } from './severity.ts';
import type { VexStatement } from './vex.ts';

export interface ScannedFinding extends Finding {
  readonly reachable: Tri;
  readonly evidence: readonly string[];
  /** Set when a VEX statement suppresses the finding (shown, not dropped). */
  readonly suppressed?: { readonly by: string; readonly status: string; readonly justification?: string; readonly detail?: string };
  /** Where the package was found. */
  readonly location?: string;
}

export interface ScanResult {
  readonly subject: { readonly name: string; readonly digest?: string };
  readonly distro?: Distro;
  readonly db: { readonly path: string; readonly sources: readonly { readonly name: string; readonly importedAt: string }[] };
  readonly packages: readonly Package[];
  /** Findings to act on (suppressed and, with --ignore-unreachable, 'no' ones hidden). */
  readonly findings: readonly ScannedFinding[];
  /** Findings hidden from the main list: suppressed by VEX or not reachable with --ignore-unreachable. */
  readonly hidden: readonly ScannedFinding[];
  readonly gaps: readonly MatchGap[];
  readonly reachability: { readonly status: 'resolved' | 'unknown' | 'not-run'; readonly reason?: string; readonly argv: readonly string[]; readonly files: number; readonly npmEntry?: string; readonly pythonEntry?: string };
  readonly stats: {
    readonly packages: number;
    readonly raw: number;
    readonly reachableYes: number;
    readonly reachableNo: number;
    readonly reachableUnknown: number;
    readonly suppressed: number;
    readonly matchMillis: number;
    readonly totalMillis: number;
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly vex: readonly VexStatement[];
}

export const FAIL_ON_LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** True when a shown finding (affected yes or unknown) is at or above `threshold`. Unknown severity counts as failing. */
export function failsAt(result: Pick<ScanResult, 'findings'>, threshold: FailOn): boolean {
  return result.findings.some((f) => f.severity === 'unknown' || levelRank(f.severity) >= levelRank(threshold));
}

export function sortFindings(findings: readonly ScannedFinding[]): ScannedFinding[] {
  return [...findings].sort((a, b) => levelRank(b.severity) - levelRank(a.severity) || a.packageName.localeCompare(b.packageName) || a.id.localeCompare(b.id));
}

export function renderJson(result: ScanResult): string {
  const { packages, ...rest } = result;
  return `${JSON.stringify({ ...rest, packages: packages.length }, null, 2)}\n`;
}

const SARIF_LEVEL: Readonly<Record<SeverityLevel, string>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', none: 'note', unknown: 'warning' };

/** SARIF 2.1.0: one rule per flaw id, one result per (flaw, package). Suppressed findings carry `suppressions`. */
export function renderSarif(result: ScanResult): string {
  const all = [...result.findings, ...result.hidden.filter((f) => f.suppressed !== undefined || f.reachable === 'no')];
  const rules = new Map<string, Record<string, unknown>>();
  for (const f of all) {
    if (rules.has(f.id)) continue;
    rules.set(f.id, {
      id: f.id,
      name: f.id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: f.summary ?? f.id },
      helpUri: f.id.startsWith('CVE-') ? `https://nvd.nist.gov/vuln/detail/${f.id}` : f.id.startsWith('GHSA-') ? `https://github.com/advisories/${f.id}` : `https://osv.dev/vulnerability/${f.id}`,
      properties: { 'security-severity': String(f.rating?.score ?? { critical: 9.5, high: 8, medium: 5.5, low: 2, none: 0, unknown: 5 }[f.severity]), tags: ['security', 'vulnerability'] },
    });
  }
  const results = all.map((f) => ({
    ruleId: f.id,
    level: SARIF_LEVEL[f.severity],
    message: {
      text: `${f.packageName} ${f.version} is ${f.affected === 'yes' ? 'affected by' : 'possibly affected by'} ${f.id} (severity ${f.severity}${f.fixed.length > 0 ? `, fixed in ${f.fixed.join(', ')}` : ', no fix'}; reachable: ${f.reachable})`,
    },
    locations: [{ physicalLocation: { artifactLocation: { uri: (f.location ?? f.packageId).replace(/^\//, '') } }, logicalLocations: [{ name: f.purl || f.packageId, kind: 'package' }] }],
    partialFingerprints: { 'tollgate/v1': `${f.id}:${f.purl || f.packageId}` },
    properties: { purl: f.purl, installedVersion: f.version, fixedVersions: f.fixed, aliases: f.aliases, reachable: f.reachable, evidence: f.evidence, affected: f.affected },
    ...(f.suppressed !== undefined
      ? { suppressions: [{ kind: 'external', justification: `${f.suppressed.status}${f.suppressed.justification !== undefined ? ` (${f.suppressed.justification})` : ''} by ${f.suppressed.by}` }] }
      : f.reachable === 'no'
        ? { suppressions: [{ kind: 'external', status: 'underReview', justification: 'vulnerable_code_not_in_execute_path (tollgate reachability)' }] }
        : {}),
  }));
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: result.tool.name, version: result.tool.version, rules: [...rules.values()] } }, results }],
    },
    null,
    2,
  )}\n`;
}

const CDX_METHOD: Readonly<Record<string, string>> = { CVSS_V3: 'CVSSv31', CVSS_V4: 'CVSSv4', CVSS_V2: 'CVSSv2' };

/** CycloneDX 1.6 JSON: the packages as components and the findings as vulnerabilities (with analysis for not-reachable/suppressed). */
export function renderCycloneDx(result: ScanResult, options: { readonly serialNumber: string }): string {
  const used = new Set([...result.findings, ...result.hidden].map((f) => f.packageId));
  const components = result.packages.filter((p) => used.has(p.id)).map((p) => ({ type: 'library', 'bom-ref': p.id, name: p.name, version: p.version, ...(p.purl !== '' ? { purl: p.purl } : {}) }));
  const byFlaw = new Map<string, ScannedFinding[]>();
  for (const f of [...result.findings, ...result.hidden]) {
    const list = byFlaw.get(f.id);
    if (list === undefined) byFlaw.set(f.id, [f]);
    else list.push(f);
  }
  const vulnerabilities = [...byFlaw.entries()].map(([id, fs]) => {
    const f = fs[0] as ScannedFinding;
    const notReachable = fs.every((x) => x.reachable === 'no');
    const suppressed = fs.every((x) => x.suppressed !== undefined) ? f.suppressed : undefined;
    return {
      'bom-ref': `vuln:${id}`,
      id,
      source: { name: id.startsWith('CVE-') ? 'NVD' : 'OSV', url: id.startsWith('CVE-') ? `https://nvd.nist.gov/vuln/detail/${id}` : `https://osv.dev/vulnerability/${id}` },
      references: f.aliases.filter((a) => a !== id).map((a) => ({ id: a, source: { name: a.startsWith('GHSA-') ? 'GitHub' : 'OSV' } })),
      ratings: f.ratings.map((r) => ({ source: { name: r.source }, ...(r.score !== undefined ? { score: r.score } : {}), severity: r.level, method: CDX_METHOD[r.type] ?? 'other', ...(r.vector.startsWith('CVSS:') ? { vector: r.vector } : {}) })),
      ...(f.summary !== undefined ? { description: f.summary } : {}),
      ...(f.fixed.length > 0 ? { recommendation: `upgrade to ${f.fixed.join(' or ')}` } : {}),
      affects: fs.map((x) => ({ ref: x.packageId, versions: [{ version: x.version, status: x.affected === 'yes' ? 'affected' : 'unknown' }] })),
      ...(suppressed !== undefined
        ? { analysis: { state: suppressed.status === 'fixed' || suppressed.status === 'resolved' ? 'resolved' : suppressed.status === 'false_positive' ? 'false_positive' : 'not_affected', ...(suppressed.justification === 'vulnerable_code_not_in_execute_path' ? { justification: 'code_not_reachable' } : {}), detail: `suppressed by ${suppressed.by}` } }
        : notReachable
          ? { analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: f.evidence.join('; ') } }
          : {}),
    };
  });
  return `${JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: options.serialNumber,
      version: 1,
      metadata: {
        timestamp: result.finishedAt,
        tools: { components: [{ type: 'application', name: result.tool.name, version: result.tool.version }] },
        component: { type: 'container', 'bom-ref': 'subject', name: result.subject.name, ...(result.subject.digest !== undefined ? { version: result.subject.digest } : {}) },
      },
      components,
      vulnerabilities,
    },
    null,
    2,
  )}\n`;
}

export { SEVERITY_LEVELS };
