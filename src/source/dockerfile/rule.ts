import type { PeerRule, Severity, SourceRange } from '../finding.ts';
import type { Tri } from '../../core/result.ts';
import type { DockerfileAst } from './ast.ts';

export interface RuleOptions {
  /** Registries base images may come from; empty = the check is off. */
  readonly allowedRegistries: readonly string[];
  /** Hosts RUN/ADD may download from; empty = the check is off. */
  readonly allowedDownloadHosts: readonly string[];
}

export interface RuleContext {
  readonly ast: DockerfileAst;
  /** Whether the build context has a .dockerignore (decided by the caller, which does the I/O). */
  readonly hasDockerignore: Tri;
  readonly options: RuleOptions;
}

export interface RuleHit {
  readonly range: SourceRange;
  readonly message: string;
}

/** One Dockerfile rule. Pure: the AST in, hits out. */
export interface Rule {
  readonly id: string;
  readonly slug: string;
  readonly defaultSeverity: Severity;
  readonly summary: string;
  readonly peers: readonly PeerRule[];
  check(ctx: RuleContext): RuleHit[];
}

export function hadolint(id: string): PeerRule {
  return { tool: 'hadolint', id };
}
