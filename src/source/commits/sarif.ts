/**
 * SARIF 2.1.0 for signed-commit verification. A commit has no file position, so each result names
 * the commit as a logical location (and in partialFingerprints), which SARIF viewers and GitHub's
 * code-scanning upload accept as a repository-level alert.
 */
import { docsUrlFor } from '../finding.ts';
import { sarifLog, type SarifTool } from '../sarif.ts';
import type { CommitOutcome, CommitsReport } from './verify.ts';

export interface CommitRule {
  readonly id: `SC${number}`;
  readonly slug: Exclude<CommitOutcome, 'signed-by-active-member'>;
  readonly summary: string;
}

/** One rule per failing outcome; ids are stable forever. */
export const COMMIT_RULES: readonly CommitRule[] = Object.freeze([
  { id: 'SC1001', slug: 'unsigned', summary: 'A commit in the range is not signed.' },
  { id: 'SC1002', slug: 'bad-signature', summary: 'A commit signature does not verify (changed after signing, or a revoked or expired key).' },
  { id: 'SC1003', slug: 'signed-by-unknown-key', summary: 'A commit is signed by a key that belongs to no roster member.' },
  { id: 'SC1004', slug: 'signed-by-inactive-member', summary: 'A commit is signed by a roster member who is no longer active.' },
]);

export function commitsSarif(report: CommitsReport, tool: SarifTool): Record<string, unknown> {
  const failing = report.commits.filter((c) => c.outcome !== 'signed-by-active-member');
  const used = COMMIT_RULES.filter((r) => failing.some((c) => c.outcome === r.slug));
  const index = new Map(used.map((r, i) => [r.slug as CommitOutcome, i]));
  return sarifLog(
    tool,
    used.map((r) => ({
      id: r.id,
      name: r.slug,
      shortDescription: { text: r.summary },
      helpUri: docsUrlFor(r.id),
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'supply-chain', 'signed-commits'] },
    })),
    {},
    failing.map((c) => {
      const rule = COMMIT_RULES.find((r) => r.slug === c.outcome);
      return {
        ruleId: rule?.id ?? 'SC1001',
        ruleIndex: index.get(c.outcome) ?? 0,
        level: 'error',
        message: { text: `commit ${c.sha.slice(0, 12)} (${c.subject.slice(0, 80)}): ${c.reason}` },
        locations: [{ logicalLocations: [{ name: c.sha, kind: 'commit', fullyQualifiedName: `${report.range}/${c.sha}` }] }],
        partialFingerprints: { commitSha: c.sha },
        properties: { outcome: c.outcome, signature: c.kind, ...(c.member !== undefined ? { member: c.member } : {}), ...(c.key !== undefined ? { key: c.key } : {}) },
      };
    }),
  );
}
