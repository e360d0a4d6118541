/**
 * SARIF 2.1.0 for source-gate findings (GitHub code scanning, Azure DevOps, IDEs).
 * Pure: findings and rule metadata in, a plain object out (the caller serialises it).
 */
import type { Finding, RuleMeta, Severity } from './finding.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

/** Absolute docs link when a base is known (e.g. the repository URL), else the repository-relative path. */
function helpUri(docsUrl: string, docsBase: string | undefined): string {
  return docsBase ? `${docsBase.replace(/\/+$/, '')}/${docsUrl}` : docsUrl;
}

export interface SarifOptions {
  readonly tool: SarifTool;
  /** Prefix for rule docs links, e.g. https://github.com/org/tollgate/blob/main. */
  readonly docsBase?: string;
}

export function toSarif(findings: readonly Finding[], rules: readonly RuleMeta[], options: SarifOptions): Record<string, unknown> {
  const used = new Set(findings.map((f) => f.ruleId));
  const ruleList = rules.filter((r) => used.has(r.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  return sarifLog(
    options.tool,
    ruleList.map((r) => ({
      id: r.id,
      name: r.slug,
      shortDescription: { text: r.summary },
      helpUri: helpUri(r.docsUrl, options.docsBase),
      defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
      properties: {
        tags: ['security', 'supply-chain'],
        ...(r.peers.length > 0 ? { equivalents: r.peers.map((p) => `${p.tool}:${p.id}`) } : {}),
      },
    })),
    { columnKind: 'unicodeCodePoints' },
    findings.map((f) => ({
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.range.startLine, startColumn: f.range.startCol, endLine: f.range.endLine, endColumn: f.range.endCol },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${f.ruleId}:${f.file}:${f.range.startLine}` },
      ...(f.suppressed
        ? { suppressions: [{ kind: f.suppressed.kind === 'inline' ? 'inSource' : 'external', ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}) }] }
        : {}),
    })),
  );
}

/** A SARIF 2.1.0 log of one run: the tool's driver with its rules, run properties, then the results. */
export function sarifLog(
  tool: SarifTool,
  rules: readonly Record<string, unknown>[],
  run: Readonly<Record<string, unknown>>,
  results: readonly Record<string, unknown>[],
): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.informationUri, rules } }, ...run, results }],
  };
}
