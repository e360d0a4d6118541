import { text as readStream } from 'node:stream/consumers';
import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable } from '../render/table.ts';
import { EXIT } from '../exit-codes.ts';

interface CompareOptions {
  readonly output?: string;
}

interface SchemesOptions {
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate version compare|schemes`: order versions the way each ecosystem's own tool does. */
export const registerVersion: RegisterCommand = (program, ctx) => {
  const version = program.command('version').description("compare package versions with each ecosystem's own ordering rules");

  version
    .command('compare')
    .description('print -1, 0 or 1 as A is lower than, equal to or greater than B (like dpkg --compare-versions)')
    .argument('<ecosystem>', 'OSV ecosystem (Debian:12, Alpine, PyPI, npm, Go, Maven…), purl type (deb, pypi…) or scheme id')
    .argument('<a>', 'first version, or - to read "A B" pairs from standard input, one pair per line')
    .argument('[b]', 'second version')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Schemes: deb (Debian, Ubuntu), rpm (AlmaLinux, Rocky Linux, Red Hat, SUSE…), apk (Alpine, Wolfi,
Chainguard), npm, semver (SemVer 2.0.0, Hex…), pep440 (PyPI), go, maven, rubygems, packagist,
nuget, cargo (crates.io), pub, hackage, cran. See \`tollgate version schemes\`.

A version that does not parse fails with VERSION_INVALID (exit 2); an unknown ecosystem with
ECOSYSTEM_UNKNOWN (exit 2). With -, every input line gets one output line: -1, 0, 1, or
"error" (the reason goes to standard error with the line number), and the exit code is 2 if
any line failed.

Examples:
  tollgate version compare Debian:12 1.0~rc1 1.0            # -1
  tollgate version compare PyPI 1.0.post1 1.0               # 1
  printf '1.0 1.0.0\\n2.0 1.9\\n' | tollgate version compare Maven -`,
    )
    .action(async (ecosystem: string, a: string, b: string | undefined, options: CompareOptions) => {
      const services = await ctx.services('versioning');
      if (a === '-' && b === undefined) {
        const input = await readStream(process.stdin);
        const results = services.versioning.compareVersionLines(ecosystem, input);
        const out: string[] = [];
        for (const r of results) {
          if (r.ok) {
            out.push(String(r.order));
          } else {
            out.push('error');
            process.stderr.write(`${ctx.style.red('error')} ${r.code}: line ${r.line}: ${r.reason} (input=${JSON.stringify(r.input)})\n`);
            ctx.setExitCode(EXIT.usage);
          }
        }
        await writeOutput(out.join('\n'), { output: options.output });
        return;
      }
      if (b === undefined) {
        process.stderr.write('error: two versions are needed, or - to read pairs from standard input\n');
        ctx.setExitCode(EXIT.usage);
        return;
      }
      const order = services.versioning.compareVersions(ecosystem, a, b);
      await writeOutput(String(order), { output: options.output });
    });

  version
    .command('schemes')
    .description('list the version schemes and the specification each follows')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (options: SchemesOptions) => {
      const services = await ctx.services('versioning');
      const schemes = services.versioning.listSchemes();
      const text =
        options.format === 'json'
          ? json(schemes)
          : renderTable(
              ['scheme', 'specification'],
              schemes.map((s) => [s.id, s.specUrl]),
              ctx.style,
            );
      await writeOutput(text, { output: options.output });
    });
};
