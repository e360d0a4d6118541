import { Option } from 'commander';
import type { CommitOutcome, CommitsReport } from '../../source/commits/verify.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface CommitsFlags {
  readonly range: string;
  readonly repo: string;
  readonly roster: string;
  readonly allowedSigners?: string;
  readonly keyring?: string;
  readonly maxCommits?: string;
  readonly format: 'table' | 'json' | 'sarif';
  readonly output?: string;
}

/** `tollgate commits --range A..B`: every commit signed by an active member of the roster. */
export const registerCommits: RegisterCommand = (program, ctx) => {
  program
    .command('commits')
    .description('verify that every commit in a range is signed (SSH or OpenPGP) by a key of an active roster member, using git itself')
    .requiredOption('--range <A..B>', 'revision range, e.g. main~50..main or origin/main..HEAD')
    .requiredOption('--roster <file>', 'roster (YAML): members with name, active, keys (SSH), fingerprints (OpenPGP), emails')
    .option('--repo <dir>', 'the git repository', '.')
    .option('--allowed-signers <file>', 'extra SSH allowed-signers file (the roster\'s SSH keys are always trusted)')
    .option('--keyring <file>', 'OpenPGP public keyring (armored or binary); imported into a throw-away GNUPGHOME')
    .option('--max-commits <n>', 'refuse larger ranges', '10000')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Outcomes per commit: signed-by-active-member (the only passing one), signed-by-inactive-member,
signed-by-unknown-key, bad-signature (changed after signing, revoked key), unsigned.
git verifies every signature (gpg.format ssh with gpg.ssh.allowedSignersFile, or gpg with the
given keyring); Tollgate then maps the signing key to a roster member. Your own ~/.gnupg and git
config are never used, and the repository cannot choose the programs git runs.

Roster:
  members:
    - name: Alice
      active: true
      emails: [alice@example.com]
      keys: ["ssh-ed25519 AAAAC3Nz… alice"]      # or SHA256:… fingerprints
    - name: Bob
      active: false
      fingerprints: ["3AA5 C343 7156 7BD2 …"]    # OpenPGP primary or subkey

Exit codes: 0 all commits signed by active members; 1 some are not; 2 bad usage or roster;
4 git failed (unknown revision…); 7 git, gpg or ssh-keygen is missing.

Examples:
  tollgate commits --range main~50..main --roster roster.yaml
  tollgate commits --range origin/main..HEAD --roster roster.yaml --keyring team.asc --format json`,
    )
    .action(async (flags: CommitsFlags) => {
      const services = await ctx.services('repo');
      const maxCommits = Number(flags.maxCommits);
      const report = await services.repo.verifyCommits(flags.repo, flags.range, {
        rosterFile: flags.roster,
        ...(flags.allowedSigners !== undefined ? { allowedSignersFile: flags.allowedSigners } : {}),
        ...(flags.keyring !== undefined ? { keyringFile: flags.keyring } : {}),
        ...(Number.isSafeInteger(maxCommits) && maxCommits > 0 ? { maxCommits } : {}),
      });
      const text =
        flags.format === 'json' ? json(report) : flags.format === 'sarif' ? json(services.repo.commitsSarif(report)) : renderCommits(report, ctx.style);
      await writeOutput(text, { output: flags.output });
      if (!report.passed) ctx.setExitCode(EXIT.gateFailed);
    });
};

function renderCommits(report: CommitsReport, style: Style): string {
  const colour = (o: CommitOutcome): string => (o === 'signed-by-active-member' ? style.green(o) : style.red(o));
  const rows = report.commits.map((c) => [c.sha.slice(0, 12), colour(c.outcome), c.kind, c.member ?? '-', c.subject.slice(0, 60)]);
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o}`)
    .join(', ');
  return [
    rows.length > 0 ? renderTable(['COMMIT', 'OUTCOME', 'SIGNATURE', 'MEMBER', 'SUBJECT'], rows, style) : `no commits in ${report.range}`,
    '',
    `${report.commits.length} commits in ${report.range}${counts ? `: ${counts}` : ''} — ${report.passed ? style.green('passed') : style.red('failed')}`,
  ].join('\n');
}
