import { Option } from 'commander';
import type { Finding, Severity } from '../../source/finding.ts';
import type { LintResult } from '../../services/source.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface LintOptions {
  readonly format: 'table' | 'json' | 'sarif';
  readonly output?: string;
  readonly failOn: Severity;
  readonly config?: string;
}

/** `tollgate lint [PATH...]`: the source gate's build-file checks. */
export const registerLint: RegisterCommand = (program, ctx) => {
  program
    .command('lint')
    .description('check Dockerfiles/Containerfiles (and CI workflows) for supply-chain risks and hygiene issues')
    .argument('[paths...]', 'files or directories to search (default: the current directory)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
    .option('--config <file>', 'lint configuration (YAML): rule severities/off, registry and download-host allowlists')
    .addHelpText(
      'after',
      `
Finds Dockerfile, Containerfile, Dockerfile.*, Containerfile.* and *.Dockerfile under each PATH
(skipping .git and node_modules). Every rule has a stable id (DF1001…) and a docs page in
docs/rules/; JSON and SARIF name the hadolint rule each one corresponds to.

Suppress one instruction with a comment on the line before it:
  # tollgate ignore=DF4001,apt-no-install-recommends
(\`# hadolint ignore=DL3008\` also works for rules with a hadolint equivalent.)

Config file (--config), all keys optional, unknown keys rejected:
  rules:
    DF2005: off                        # or error | warning | info; ids or slugs
  allowlists:
    registries: [registry.example.com, "*.gcr.io"]
    downloadHosts: [github.com, "*.example.com"]

Exit codes: 0 no finding at or above --fail-on (default error); 1 there is one;
2 bad usage or configuration; 3 a PATH does not exist.

Examples:
  tollgate lint
  tollgate lint services/api/Dockerfile --fail-on warning
  tollgate lint . --format sarif -o lint.sarif`,
    )
    .action(async (paths: string[], options: LintOptions) => {
      const services = await ctx.services('source');
      const result = await services.source.lintPaths(paths, options.config !== undefined ? { configFile: options.config, keepSuppressed: options.format === 'sarif' } : { keepSuppressed: options.format === 'sarif' });
      const text =
        options.format === 'sarif'
          ? json(services.source.lintSarif(result))
          : options.format === 'json'
            ? json(toJson(result, options.failOn))
            : renderLintTable(result, ctx.style);
      await writeOutput(text, { output: options.output });
      if (services.source.lintFails(result, options.failOn)) ctx.setExitCode(EXIT.gateFailed);
    });
};

function toJson(result: LintResult, failOn: Severity): unknown {
  const peer = (f: Finding, tool: string): string | null => f.peers.find((p) => p.tool === tool)?.id ?? null;
  return {
    summary: {
      files: result.files.length,
      findings: result.findings.filter((f) => !f.suppressed).length,
      bySeverity: countBy(result.findings.filter((f) => !f.suppressed).map((f) => f.severity)),
      failOn,
    },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      slug: f.slug,
      severity: f.severity,
      message: f.message,
      file: f.file,
      range: f.range,
      hadolint: peer(f, 'hadolint'),
      zizmor: peer(f, 'zizmor'),
      docsUrl: f.docsUrl,
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
    files: result.files,
    unknowns: result.unknowns,
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function renderLintTable(result: LintResult, style: Style): string {
  const colour = (s: Severity): string => (s === 'error' ? style.red(s) : s === 'warning' ? style.yellow(s) : style.dim(s));
  const shown = result.findings.filter((f) => !f.suppressed);
  const rows = shown.map((f) => [`${f.file}:${f.range.startLine}`, colour(f.severity), f.ruleId, f.slug, f.message]);
  const parts = shown.length > 0 ? [renderTable(['LOCATION', 'SEVERITY', 'RULE', 'NAME', 'MESSAGE'], rows, style), ''] : [];
  const by = countBy(shown.map((f) => f.severity));
  parts.push(`${result.files.length} files, ${shown.length} findings (${by['error'] ?? 0} error, ${by['warning'] ?? 0} warning, ${by['info'] ?? 0} info)`);
  if (result.unknowns.length > 0) {
    parts.push('', style.yellow(`${result.unknowns.length} files could not be checked:`));
    parts.push(renderTable(['SOURCE', 'PATH', 'REASON'], result.unknowns.map((u) => [u.source, u.path ?? '-', u.reason]), style));
  }
  return parts.join('\n');
}
