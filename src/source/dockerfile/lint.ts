import { AppError } from '../../core/errors.ts';
import type { Tri } from '../../core/result.ts';
import { compareFindings, docsUrlFor, parseIgnoreComment } from '../finding.ts';
import type { Finding, RuleMeta } from '../finding.ts';
import { configuredLevel, DEFAULT_LINT_CONFIG } from '../lint-config.ts';
import type { LintConfig } from '../lint-config.ts';
import type { DockerfileAst } from './ast.ts';
import { parseDockerfile } from './parse/dockerfile.ts';
import { DOCKERFILE_RULES } from './registry.ts';
import type { Rule } from './rule.ts';

/** Dockerfiles larger than this are refused (hostile or generated input). */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

export interface LintDockerfileOptions {
  /** Path shown in findings. */
  readonly file: string;
  readonly hasDockerignore?: Tri;
  readonly config?: LintConfig;
  /** Keep suppressed findings (marked `suppressed`) instead of dropping them; SARIF wants them. */
  readonly keepSuppressed?: boolean;
  /** Run only these rules (tests, harness). */
  readonly rules?: readonly Rule[];
}

export function ruleMeta(rule: Rule): RuleMeta {
  return { id: rule.id, slug: rule.slug, defaultSeverity: rule.defaultSeverity, summary: rule.summary, peers: rule.peers, docsUrl: docsUrlFor(rule.id) };
}

export function dockerfileRuleMetas(): RuleMeta[] {
  return DOCKERFILE_RULES.map(ruleMeta);
}

/** `# hadolint ignore=DL3008,DL3015` also suppresses the rules that correspond to those hadolint rules (migration). */
function hadolintIgnores(text: string): string[] | undefined {
  const m = /^\s*#\s*hadolint\s+ignore\s*=\s*([A-Za-z0-9, ]+)/.exec(text);
  if (!m?.[1]) return undefined;
  const wanted = new Set(m[1].split(/[,\s]+/).map((x) => x.toUpperCase()));
  return DOCKERFILE_RULES.filter((r) => r.peers.some((p) => p.tool === 'hadolint' && wanted.has(p.id))).map((r) => r.id);
}

/** Instruction start line → ids/slugs ignored by `# tollgate ignore=…` comments directly above it. */
function suppressions(ast: DockerfileAst): Map<number, Set<string>> {
  const byLine = new Map<number, string[]>();
  for (const c of ast.comments) {
    const ids = parseIgnoreComment(c.text) ?? hadolintIgnores(c.text);
    if (ids) byLine.set(c.line, [...ids]);
  }
  const commentLines = new Set(ast.comments.map((c) => c.line));
  const out = new Map<number, Set<string>>();
  if (byLine.size === 0) return out;
  for (const ins of ast.instructions) {
    const set = new Set<string>();
    // walk up through the contiguous comment block right above the instruction
    for (let l = ins.range.startLine - 1; l > 0 && commentLines.has(l); l--) for (const id of byLine.get(l) ?? []) set.add(id.toUpperCase());
    if (set.size > 0) out.set(ins.range.startLine, set);
  }
  return out;
}

function owningInstructionLine(ast: DockerfileAst, line: number): number | undefined {
  let found: number | undefined;
  if (ast.instructions.some((i) => i.range.startLine === line)) return line;
  for (const ins of ast.instructions) {
    if (ins.range.startLine <= line && line <= ins.range.endLine) return ins.range.startLine;
    if (ins.range.startLine <= line) found = ins.range.startLine;
  }
  return found;
}

/** Parses and lints one Dockerfile. Pure: the caller supplies text and the .dockerignore fact. */
export function lintDockerfile(text: string, options: LintDockerfileOptions): Finding[] {
  if (text.length > MAX_DOCKERFILE_BYTES) {
    throw new AppError('LIMIT_FILE_SIZE', 'Dockerfile is too large to lint', { details: { file: options.file, limit: MAX_DOCKERFILE_BYTES } });
  }
  let ast: DockerfileAst;
  try {
    ast = parseDockerfile(text);
  } catch (cause) {
    throw new AppError('DOCKERFILE_INVALID', 'Dockerfile could not be parsed', { details: { file: options.file }, cause });
  }
  return lintAst(ast, options);
}

export function lintAst(ast: DockerfileAst, options: LintDockerfileOptions): Finding[] {
  const config = options.config ?? DEFAULT_LINT_CONFIG;
  const ctx = {
    ast,
    hasDockerignore: options.hasDockerignore ?? 'unknown',
    options: { allowedRegistries: config.allowedRegistries, allowedDownloadHosts: config.allowedDownloadHosts },
  } as const;
  const ignored = suppressions(ast);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of options.rules ?? DOCKERFILE_RULES) {
    const level = configuredLevel(config, rule.id, rule.slug);
    if (level === 'off') continue;
    const severity = level ?? rule.defaultSeverity;
    for (const hit of rule.check(ctx)) {
      const key = `${rule.id}:${hit.range.startLine}:${hit.range.startCol}:${hit.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ign = ignored.size === 0 ? undefined : ignored.get(owningInstructionLine(ast, hit.range.startLine) ?? -1);
      const suppressed = ign !== undefined && (ign.has(rule.id) || ign.has(rule.slug.toUpperCase()) || ign.has('ALL'));
      if (suppressed && !options.keepSuppressed) continue;
      out.push({
        ruleId: rule.id,
        slug: rule.slug,
        severity,
        message: hit.message,
        file: options.file,
        range: hit.range,
        peers: rule.peers,
        docsUrl: docsUrlFor(rule.id),
        ...(suppressed ? { suppressed: { kind: 'inline' as const } } : {}),
      });
    }
  }
  return out.sort(compareFindings);
}
