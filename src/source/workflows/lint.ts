import type { Unknown } from '../../core/result.ts';
import { compareFindings, docsUrlFor, parseIgnoreComment } from '../finding.ts';
import type { Finding, RuleMeta, Severity } from '../finding.ts';
import { DEFAULT_WORKFLOW_OPTIONS, peersOf, personaRank } from './audit.ts';
import type { Audit, WorkflowLintOptions } from './audit.ts';
import { isMap } from 'yaml';
import { kindForPath, parseWorkflowText, rangeOf } from './model.ts';
import type { WorkflowKind } from './model.ts';
import { AUDITS } from './registry.ts';

export interface WorkflowLintResult {
  readonly findings: readonly Finding[];
  readonly unknowns: readonly Unknown[];
}

export function workflowRules(): readonly (RuleMeta & { readonly zizmor: string | undefined })[] {
  return AUDITS.map((a) => ({
    id: a.id,
    slug: a.slug,
    defaultSeverity: a.defaultSeverity,
    summary: a.summary,
    peers: peersOf(a),
    docsUrl: docsUrlFor(a.id),
    zizmor: a.zizmor,
  }));
}

/** Ids listed by `# tollgate ignore=…` or zizmor's `# zizmor: ignore[a,b]` on a line. */
function ignoredOnLine(line: string): readonly string[] {
  const hash = line.indexOf('#');
  if (hash < 0) return [];
  const comment = line.slice(hash);
  const ours = parseIgnoreComment(comment) ?? [];
  const z = /#\s*zizmor:\s*ignore\[([^\]]*)\]/.exec(comment);
  const theirs = z?.[1]?.split(',').map((s) => s.trim()) ?? [];
  return [...ours, ...theirs];
}

function suppressedBy(lines: readonly string[], audit: Audit, startLine: number, endLine: number): boolean {
  for (let l = startLine; l <= Math.min(endLine, lines.length); l++) {
    const ids = ignoredOnLine(lines[l - 1] ?? '');
    if (ids.includes(audit.id) || ids.includes(audit.slug) || (audit.zizmor !== undefined && ids.includes(audit.zizmor))) return true;
  }
  return false;
}

/**
 * Lints one GitHub Actions workflow or action metadata file. Pure: text in, findings out.
 * Unparseable YAML becomes an Unknown (never "no findings").
 */
export function lintWorkflow(path: string, text: string, options: Partial<WorkflowLintOptions> = {}, kind?: WorkflowKind): WorkflowLintResult {
  const opts: WorkflowLintOptions = { ...DEFAULT_WORKFLOW_OPTIONS, ...options };
  const k = kind ?? kindForPath(path) ?? 'workflow';
  const { file, errors } = parseWorkflowText(path, text, k);
  if (errors.length > 0 || !isMap(file.doc.contents)) {
    const reason = errors.length > 0 ? `YAML error at line ${errors[0]?.line ?? 0}: ${errors[0]?.message.split('\n')[0] ?? ''}` : 'not a YAML mapping';
    return { findings: [], unknowns: [{ source: k === 'gitlab' ? 'gitlab-ci' : 'github-actions', path, reason }] };
  }
  const lines = text.split(/\r?\n/);
  const findings: Finding[] = [];
  const unknowns: Unknown[] = [];
  for (const audit of AUDITS) {
    if (!audit.appliesTo.includes(k)) continue;
    if (opts.disabled.includes(audit.id) || opts.disabled.includes(audit.slug)) continue;
    let hits;
    try {
      hits = audit.run(file, opts);
    } catch (error) {
      // A bug or unexpected shape in one audit must not hide the others' findings: record it.
      unknowns.push({ source: audit.slug, path, reason: `audit failed: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    for (const hit of hits) {
      if (personaRank(hit.persona ?? 'regular') > personaRank(opts.persona)) continue;
      const range = hit.range ?? rangeOf(file, hit.node);
      const configured = opts.severity[audit.id] ?? opts.severity[audit.slug];
      const severity = configured ?? hit.severity ?? audit.defaultSeverity;
      const suppressed = suppressedBy(lines, audit, range.startLine, range.endLine) || (hit.ignoreLines ?? []).some((l) => suppressedBy(lines, audit, l, l));
      findings.push({
        ruleId: audit.id,
        slug: audit.slug,
        severity,
        message: hit.message,
        file: path,
        range,
        peers: peersOf(audit),
        docsUrl: docsUrlFor(audit.id),
        ...(suppressed ? { suppressed: { kind: 'inline' as const } } : {}),
      });
    }
  }
  findings.sort(compareFindings);
  return { findings, unknowns };
}

/** Largest workflow file read (GitHub itself rejects workflow files over 512 KiB). */
export const MAX_WORKFLOW_BYTES = 1024 * 1024;

/** `.github/workflows/*.yml|yaml`, `action.yml|yaml` anywhere, `.gitlab-ci.yml` and `.gitlab/ci/**.yml`. */
export function isWorkflowPath(path: string): boolean {
  const p = path.split('\\').join('/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (base === 'action.yml' || base === 'action.yaml') return true;
  if (base === '.gitlab-ci.yml' || base === '.gitlab-ci.yaml' || /(^|\/)\.gitlab\/ci\/.+\.ya?ml$/.test(p)) return true;
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p);
}

/** Maps the shared lint configuration (rules: id|slug → level|off) onto workflow options. */
export function workflowOptionsFromRules(rules: Readonly<Record<string, Severity | 'off'>>, extra: Partial<WorkflowLintOptions> = {}): Partial<WorkflowLintOptions> {
  const severity: Record<string, Severity> = {};
  const disabled: string[] = [];
  for (const [key, level] of Object.entries(rules)) {
    if (level === 'off') disabled.push(key);
    else severity[key] = level;
  }
  return { ...extra, severity, disabled };
}
