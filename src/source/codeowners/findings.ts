import { docsUrlFor } from '../finding.ts';
import type { Finding, RuleMeta } from '../finding.ts';
import type { CoverageReport } from './coverage.ts';

/** CODEOWNERS coverage as source-gate findings (for SARIF and `--format json`). */
export const CODEOWNERS_RULES: readonly RuleMeta[] = Object.freeze(
  [
    { id: 'CO1001', slug: 'build-file-unowned', summary: 'A build-relevant file has no code owner (or a CODEOWNERS line un-owns it)' },
    { id: 'CO1002', slug: 'build-file-owned-outside-team', summary: 'A build-relevant file is owned only by people outside the platform team' },
    { id: 'CO1003', slug: 'codeowners-invalid-line', summary: 'A CODEOWNERS line GitHub ignores (unsupported syntax or malformed owner)' },
  ].map((r) => ({ ...r, defaultSeverity: r.id === 'CO1003' ? ('warning' as const) : ('error' as const), peers: [], docsUrl: docsUrlFor(r.id) })),
);

const rule = (id: string): RuleMeta => CODEOWNERS_RULES.find((r) => r.id === id) as RuleMeta;
const line1 = { startLine: 1, startCol: 1, endLine: 1, endCol: 1 };

export function coverageFindings(report: CoverageReport): Finding[] {
  const out: Finding[] = [];
  const make = (r: RuleMeta, file: string, message: string, line = 1): Finding => ({
    ruleId: r.id,
    slug: r.slug,
    severity: r.defaultSeverity,
    message,
    file,
    range: line === 1 ? line1 : { startLine: line, startCol: 1, endLine: line, endCol: 1 },
    peers: [],
    docsUrl: r.docsUrl,
  });
  for (const f of report.failures) {
    if (f.status === 'owned-outside-team') {
      out.push(make(rule('CO1002'), f.file, `owned by ${f.owners.join(' ')} (CODEOWNERS line ${f.line ?? 0}: ${f.pattern ?? ''}), none of them in the platform team ${report.team.join(' ')}`));
    } else if (f.status === 'explicitly-unowned') {
      out.push(make(rule('CO1001'), f.file, `CODEOWNERS line ${f.line ?? 0} (${f.pattern ?? ''}) removes every owner`));
    } else {
      out.push(make(rule('CO1001'), f.file, report.codeownersPath === undefined ? 'the repository has no CODEOWNERS file' : `no CODEOWNERS line matches this build file`));
    }
  }
  for (const issue of report.issues) {
    if (issue.line > 0 && report.codeownersPath !== undefined) out.push(make(rule('CO1003'), report.codeownersPath, issue.reason, issue.line));
  }
  return out;
}
