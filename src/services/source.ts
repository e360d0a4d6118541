/**
 * Source-gate use cases: find Dockerfiles/Containerfiles under the given paths, read them (all file I/O
 * is here, through the SourceTreePort), and run the pure linters in src/source.
 */
import { parse as parseYaml } from 'yaml';
import { AppError, isAppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Tri, Unknown } from '../core/result.ts';
import { atLeast, compareFindings } from '../source/finding.ts';
import type { Finding, RuleMeta, Severity } from '../source/finding.ts';
import { DEFAULT_LINT_CONFIG, parseLintConfig } from '../source/lint-config.ts';
import type { LintConfig } from '../source/lint-config.ts';
import { dockerfileRuleMetas, lintDockerfile, MAX_DOCKERFILE_BYTES } from '../source/dockerfile/lint.ts';
import { toSarif } from '../source/sarif.ts';
import { isWorkflowPath, lintWorkflow, MAX_WORKFLOW_BYTES, workflowOptionsFromRules, workflowRules } from '../source/workflows/lint.ts';

export type EntryKind = 'file' | 'dir' | 'missing' | 'other';

/** Read-only view of the files being linted. The app backs it with node:fs. */
export interface SourceTreePort {
  kind(path: string): Promise<EntryKind>;
  /** Entry names of a directory, with their kinds (symlinks are reported as 'other' and not followed). */
  list(path: string): Promise<readonly { readonly name: string; readonly kind: EntryKind }[]>;
  /** UTF-8 text of a file; AppError LIMIT_FILE_SIZE when larger than maxBytes. */
  readText(path: string, maxBytes: number): Promise<string>;
}

export interface LintPathsOptions {
  /** Path of a YAML/JSON lint config file (rules, allowlists). */
  readonly configFile?: string;
  /** Already-parsed config; wins over configFile. */
  readonly config?: LintConfig;
  readonly keepSuppressed?: boolean;
}

export interface LintedFile {
  readonly path: string;
  readonly kind: 'dockerfile' | 'workflow';
  readonly findings: number;
  readonly hasDockerignore: Tri;
}

export interface LintResult {
  readonly files: readonly LintedFile[];
  readonly findings: readonly Finding[];
  readonly unknowns: readonly Unknown[];
  readonly rules: readonly RuleMeta[];
  readonly durationMs: number;
}

export interface SourceServices {
  lintPaths(paths: readonly string[], options?: LintPathsOptions): Promise<LintResult>;
  /** Rules known to `tollgate lint`, for --help and SARIF. */
  lintRules(): readonly RuleMeta[];
  /** SARIF 2.1.0 document for a lint result. */
  lintSarif(result: LintResult): Record<string, unknown>;
  /** True when any unsuppressed finding is at or above the threshold (the gate says no). */
  lintFails(result: LintResult, threshold: Severity): boolean;
}

export interface SourceDeps {
  readonly tree: SourceTreePort;
  readonly log: Logger;
  readonly clock: () => number;
  readonly tool: { readonly name: string; readonly version: string };
}

/** Limits on directory walks: hostile or huge repositories must not hang the gate. */
export const WALK_LIMITS = Object.freeze({ maxEntries: 200_000, maxDepth: 32 });
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.venv', '__pycache__', '.terraform']);

/** Dockerfile, Containerfile, Dockerfile.prod, Containerfile.dev, api.Dockerfile, api.dockerfile. */
export function isDockerfileName(name: string): boolean {
  if (/\.(?:dockerignore|md|txt|rst|orig|bak|swp|sh|json|ya?ml|patch|diff)$/i.test(name)) return false;
  return /^(?:Dockerfile|Containerfile)(?:\.[^/]+)?$/.test(name) || /\.(?:Dockerfile|dockerfile|Containerfile)$/.test(name);
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function join(dir: string, name: string): string {
  return dir === '.' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

export function makeSourceServices(deps: SourceDeps): SourceServices {
  const { tree } = deps;

  async function walk(root: string, out: string[], unknowns: Unknown[]): Promise<void> {
    let seen = 0;
    const stack: { path: string; depth: number }[] = [{ path: root, depth: 0 }];
    while (stack.length > 0) {
      const { path, depth } = stack.pop() ?? { path: root, depth: 0 };
      let entries;
      try {
        entries = await tree.list(path);
      } catch (error) {
        unknowns.push({ source: 'lint', path, reason: `cannot list directory: ${isAppError(error) ? error.code : String(error)}` });
        continue;
      }
      for (const e of [...entries].sort((a, b) => (a.name < b.name ? 1 : -1))) {
        if (++seen > WALK_LIMITS.maxEntries) throw new AppError('LIMIT_ENTRY_COUNT', 'too many files under the lint path', { details: { path: root, limit: WALK_LIMITS.maxEntries } });
        const p = join(path, e.name);
        if (e.kind === 'dir') {
          if (SKIP_DIRS.has(e.name)) continue;
          if (depth + 1 > WALK_LIMITS.maxDepth) {
            unknowns.push({ source: 'lint', path: p, reason: `deeper than ${WALK_LIMITS.maxDepth} levels; not searched` });
            continue;
          }
          stack.push({ path: p, depth: depth + 1 });
        } else if (e.kind === 'file' && (isDockerfileName(e.name) || isWorkflowPath(p))) out.push(p);
      }
    }
  }

  /** `<Dockerfile>.dockerignore` beside it, or `.dockerignore` in its folder or any folder up to the lint root. */
  async function dockerignoreFor(file: string, root: string): Promise<Tri> {
    try {
      if ((await tree.kind(`${file}.dockerignore`)) === 'file') return 'yes';
      let dir = dirname(file);
      for (let guard = 0; guard < 64; guard++) {
        if ((await tree.kind(join(dir, '.dockerignore'))) === 'file') return 'yes';
        if (dir === root || dir === '.' || dir === '/' || !dir.startsWith(root === '.' ? '' : root)) break;
        dir = dirname(dir);
      }
      return 'no';
    } catch (error) {
      deps.log.debug({ file, err: error }, 'cannot check for .dockerignore');
      return 'unknown';
    }
  }

  async function loadConfig(options: LintPathsOptions): Promise<LintConfig> {
    if (options.config) return options.config;
    if (options.configFile === undefined) return DEFAULT_LINT_CONFIG;
    const text = await tree.readText(options.configFile, 1024 * 1024);
    let doc: unknown;
    try {
      doc = parseYaml(text, { maxAliasCount: 100 });
    } catch (cause) {
      throw new AppError('CONFIG_INVALID', 'lint configuration is not valid YAML', { cause, details: { path: options.configFile } });
    }
    return parseLintConfig(doc);
  }

  const rules = (): readonly RuleMeta[] => [...dockerfileRuleMetas(), ...workflowRules()];

  return {
    lintRules: rules,

    async lintPaths(paths, options = {}) {
      const started = deps.clock();
      const config = await loadConfig(options);
      const targets: { file: string; root: string }[] = [];
      const unknowns: Unknown[] = [];
      for (const raw of paths.length > 0 ? paths : ['.']) {
        const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
        const kind = await tree.kind(path);
        if (kind === 'missing') throw new AppError('SOURCE_NOT_FOUND', 'lint path does not exist', { details: { path } });
        if (kind === 'file') targets.push({ file: path, root: dirname(path) });
        else if (kind === 'dir') {
          const found: string[] = [];
          await walk(path, found, unknowns);
          targets.push(...found.map((file) => ({ file, root: path })));
        } else unknowns.push({ source: 'lint', path, reason: 'not a regular file or directory' });
      }
      const files: LintedFile[] = [];
      const findings: Finding[] = [];
      for (const { file, root } of targets) {
        if (isWorkflowPath(file) && !isDockerfileName(basename(file))) {
          let yaml: string;
          try {
            yaml = await tree.readText(file, MAX_WORKFLOW_BYTES);
          } catch (error) {
            unknowns.push({ source: 'github-actions', path: file, reason: `cannot read: ${isAppError(error) ? error.code : String(error)}` });
            continue;
          }
          const linted = lintWorkflow(file, yaml, workflowOptionsFromRules(config.rules, config.workflows ?? {}));
          const kept = options.keepSuppressed === true ? linted.findings : linted.findings.filter((f) => !f.suppressed);
          findings.push(...kept);
          unknowns.push(...linted.unknowns);
          files.push({ path: file, kind: 'workflow', findings: kept.filter((f) => !f.suppressed).length, hasDockerignore: 'unknown' });
          continue;
        }
        let text: string;
        try {
          text = await tree.readText(file, MAX_DOCKERFILE_BYTES);
        } catch (error) {
          unknowns.push({ source: 'dockerfile', path: file, reason: `cannot read: ${isAppError(error) ? error.code : String(error)}` });
          continue;
        }
        const hasDockerignore = await dockerignoreFor(file, root);
        try {
          const found = lintDockerfile(text, { file, hasDockerignore, config, keepSuppressed: options.keepSuppressed === true });
          findings.push(...found);
          files.push({ path: file, kind: 'dockerfile', findings: found.filter((f) => !f.suppressed).length, hasDockerignore });
        } catch (error) {
          if (!isAppError(error)) throw error;
          unknowns.push({ source: 'dockerfile', path: file, reason: `${error.code}: ${error.message}` });
        }
      }
      return { files, findings: findings.sort(compareFindings), unknowns, rules: rules(), durationMs: deps.clock() - started };
    },

    lintSarif(result) {
      return toSarif(result.findings, result.rules, {
        tool: { name: deps.tool.name, version: deps.tool.version, informationUri: 'https://github.com/tollgate/tollgate' },
      });
    },

    lintFails(result, threshold) {
      return result.findings.some((f) => !f.suppressed && atLeast(f.severity, threshold));
    },
  };
}
