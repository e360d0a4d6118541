import { Option } from 'commander';
import type { CoverageReport, FileCoverage } from '../../source/codeowners/coverage.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface CodeownersFlags {
  readonly repo: string;
  readonly policy?: string;
  readonly team?: string[];
  readonly format: 'table' | 'json' | 'sarif';
  readonly output?: string;
}

/** `tollgate codeowners`: every build-relevant file must be owned by the platform team. */
export const registerCodeowners: RegisterCommand = (program, ctx) => {
  program
    .command('codeowners')
    .description('check that every build-relevant file (Dockerfiles, workflows, build scripts, lockfiles) has a CODEOWNERS owner from the platform team')
    .option('--repo <dir>', 'the git repository to check', '.')
    .option('--policy <file>', 'policy (YAML): team, buildFiles, extraBuildFiles, exclude')
    .option('--team <owner...>', 'platform team owners (@org/team, @user, e-mail); overrides the policy file')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Reads the CODEOWNERS file GitHub would use (.github/CODEOWNERS, then CODEOWNERS, then
docs/CODEOWNERS) with GitHub's semantics: gitignore-style patterns without ! or [ ], the last
matching line wins, and a line with a pattern but no owners un-owns the files it matches.
Files come from \`git ls-files\` (tracked files only).

Policy file (--policy), all keys optional, unknown keys rejected (may also sit under a
\`codeowners:\` key):
  team: ["@acme/platform", "@alice"]
  extraBuildFiles: ["deploy/**"]     # added to the defaults (Dockerfile*, .github/workflows/**, Makefile, lockfiles…)
  buildFiles: ["Dockerfile"]         # replaces the defaults
  exclude: ["examples/**"]

Without a team, a build file only needs some owner.

Exit codes: 0 every build file is covered; 1 one is not; 2 bad usage or policy.

Examples:
  tollgate codeowners --team @acme/platform
  tollgate codeowners --repo ../service --policy codeowners-policy.yaml --format sarif -o codeowners.sarif`,
    )
    .action(async (flags: CodeownersFlags) => {
      const services = await ctx.services('repo');
      const report = await services.repo.codeowners(flags.repo, {
        ...(flags.policy !== undefined ? { configFile: flags.policy } : {}),
        ...(flags.team !== undefined ? { team: flags.team } : {}),
      });
      const text =
        flags.format === 'sarif' ? json(services.repo.codeownersSarif(report)) : flags.format === 'json' ? json(toJson(report)) : renderCoverage(report, ctx.style);
      await writeOutput(text, { output: flags.output });
      if (report.failures.length > 0) ctx.setExitCode(EXIT.gateFailed);
    });
};

function toJson(report: CoverageReport): unknown {
  return {
    summary: { codeowners: report.codeownersPath ?? null, team: report.team, buildFiles: report.files.length, failures: report.failures.length, passed: report.failures.length === 0 },
    files: report.files,
    issues: report.issues,
  };
}

function renderCoverage(report: CoverageReport, style: Style): string {
  const status = (f: FileCoverage): string =>
    f.status === 'owned-by-team' || f.status === 'owned' ? style.green(f.status) : style.red(f.status);
  const rows = report.files.map((f) => [f.file, status(f), f.owners.join(' ') || '-', f.line === undefined ? '-' : `${f.line}: ${f.pattern ?? ''}`]);
  const parts = [
    `CODEOWNERS: ${report.codeownersPath ?? style.red('none found')}    team: ${report.team.length > 0 ? report.team.join(' ') : '(any owner)'}`,
    '',
    rows.length > 0 ? renderTable(['FILE', 'STATUS', 'OWNERS', 'LINE'], rows, style) : 'no build-relevant files found',
    '',
    `${report.files.length} build files, ${report.failures.length} not covered by the platform team`,
  ];
  if (report.issues.length > 0) {
    parts.push('', style.yellow(`${report.issues.length} CODEOWNERS lines GitHub ignores:`));
    parts.push(renderTable(['LINE', 'TEXT', 'REASON'], report.issues.map((i) => [String(i.line), i.text.trim(), i.reason]), style));
  }
  return parts.join('\n');
}
