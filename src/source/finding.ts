/**
 * The one finding shape every source-gate linter (Dockerfile, CI workflows, …) emits.
 * Plain data, SARIF-ready: src/source/sarif.ts turns a list of these into SARIF 2.1.0.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Higher is more severe. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** True when `s` is at or above `threshold` (error ≥ warning ≥ info). */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

/** 1-based lines and columns, end inclusive of the last character's column (SARIF convention: endColumn exclusive). */
export interface SourceRange {
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** Which peer tool's rule this one corresponds to, e.g. { tool: 'hadolint', id: 'DL3007' } or { tool: 'zizmor', id: 'unpinned-uses' }. */
export interface PeerRule {
  readonly tool: 'hadolint' | 'zizmor' | 'dockerfilelint' | 'actionlint';
  readonly id: string;
}

export interface Finding {
  /** Stable id, e.g. DF1001 (Dockerfile) or WF1001 (workflows). Never reused. */
  readonly ruleId: string;
  /** Stable kebab-case name, e.g. remote-script-piped-to-shell. Accepted wherever an id is. */
  readonly slug: string;
  readonly severity: Severity;
  readonly message: string;
  /** Path as given to / discovered by the linter (repo-relative where possible, '/' separators). */
  readonly file: string;
  readonly range: SourceRange;
  /** Peer-tool equivalents (hadolint DL rules, zizmor audits); empty when none. */
  readonly peers: readonly PeerRule[];
  /** docs/rules/<ruleId>.md, relative to the repository root. */
  readonly docsUrl: string;
  /** Set when an inline `# tollgate ignore=…` or config suppressed it (kept for SARIF suppressions). */
  readonly suppressed?: { readonly kind: 'inline' | 'config'; readonly justification?: string };
}

/** Static description of a rule, for docs, `--help`, SARIF `tool.driver.rules`. */
export interface RuleMeta {
  readonly id: string;
  readonly slug: string;
  readonly defaultSeverity: Severity;
  readonly summary: string;
  readonly peers: readonly PeerRule[];
  readonly docsUrl: string;
}

export function docsUrlFor(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** Deterministic order: file, line, column, rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.startLine !== b.range.startLine) return a.range.startLine - b.range.startLine;
  if (a.range.startCol !== b.range.startCol) return a.range.startCol - b.range.startCol;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/**
 * Parses `# tollgate ignore=DF1001,remote-script-piped-to-shell` comments.
 * Returns the ids/slugs listed, or undefined when the text is not a suppression comment.
 */
export function parseIgnoreComment(text: string): readonly string[] | undefined {
  const m = /^\s*#\s*tollgate\s+ignore\s*=\s*([A-Za-z0-9_,\- ]+)/.exec(text);
  if (!m?.[1]) return undefined;
  return m[1].split(/[,\s]+/).filter((s) => s.length > 0);
}
