import type { PeerRule, Severity, SourceRange } from '../finding.ts';
import type { Node, WorkflowFile, WorkflowKind } from './model.ts';

/**
 * zizmor's personas, reused so the same workflow gives the same answer as zizmor:
 * regular (high-confidence findings), pedantic (adds code-smell findings), auditor (everything).
 */
export type Persona = 'regular' | 'pedantic' | 'auditor';

export function personaRank(p: Persona): number {
  return p === 'regular' ? 0 : p === 'pedantic' ? 1 : 2;
}

export interface WorkflowLintOptions {
  readonly persona: Persona;
  /**
   * `uses:` patterns (`owner/repo`, `owner/*`) that may be pinned by tag/branch instead of a full
   * commit SHA. Empty by default: every action must be SHA-pinned.
   */
  readonly refPinAllowed: readonly string[];
  /** Severity per rule id or slug. */
  readonly severity: Readonly<Record<string, Severity>>;
  /** Rule ids or slugs switched off. */
  readonly disabled: readonly string[];
}

export const DEFAULT_WORKFLOW_OPTIONS: WorkflowLintOptions = Object.freeze({
  persona: 'regular',
  refPinAllowed: [],
  severity: {},
  disabled: [],
});

/** One hit an audit reports; the runner turns it into a Finding. */
export interface Hit {
  readonly node?: Node | undefined;
  readonly range?: SourceRange;
  readonly message: string;
  /** Overrides the audit's default severity for this hit (e.g. high vs low confidence). */
  readonly severity?: Severity;
  /** Further lines whose inline ignore comments apply (e.g. the `run:` line for an expression inside it). */
  readonly ignoreLines?: readonly number[];
  /** The least persona that shows this hit; 'regular' when absent. */
  readonly persona?: Persona;
}

export interface Audit {
  readonly id: string;
  readonly slug: string;
  readonly defaultSeverity: Severity;
  readonly summary: string;
  /** The zizmor audit this one corresponds to (undefined: Tollgate-only). */
  readonly zizmor: string | undefined;
  /** Which files the audit applies to. */
  readonly appliesTo: readonly WorkflowKind[];
  run(file: WorkflowFile, options: WorkflowLintOptions): readonly Hit[];
}

export function peersOf(audit: Audit): readonly PeerRule[] {
  return audit.zizmor === undefined ? [] : [{ tool: 'zizmor', id: audit.zizmor }];
}
