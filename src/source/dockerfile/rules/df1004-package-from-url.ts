import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

const REMOTE = /^(?:https?|ftp|s3|gs):\/\/|^git\+|^git:\/\/|^github:/i;

function pipArgs(name: string, args: readonly string[]): readonly string[] | undefined {
  if (/^pip[0-9.]*$/.test(name) && args[0] === 'install') return args.slice(1);
  if (/^python[0-9.]*$/.test(name) && args[0] === '-m' && /^pip[0-9.]*$/.test(args[1] ?? '') && args[2] === 'install') return args.slice(3);
  return undefined;
}

export const df1004: Rule = {
  id: 'DF1004',
  slug: 'package-from-url',
  defaultSeverity: 'warning',
  summary: 'pip or npm installs a package straight from a URL, VCS or bucket, bypassing the index and lockfile integrity.',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const found: string[] = [];
      for (const cmd of commandsOf(ins)) {
        const pip = pipArgs(cmd.name, cmd.args);
        if (pip) {
          const pos = positionals(pip, ['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root', '-f', '--find-links', '--trusted-host', '--platform', '--python-version', '--root-user-action']);
          for (let k = 0; k < pip.length; k++) if ((pip[k] === '-e' || pip[k] === '--editable') && REMOTE.test(pip[k + 1] ?? '')) pos.push(pip[k + 1] ?? '');
          found.push(...pos.filter((p) => REMOTE.test(p) || /@\s*(?:https?|git\+)/.test(p)));
        }
        if ((cmd.name === 'npm' || cmd.name === 'pnpm' || cmd.name === 'yarn') && ['install', 'i', 'add'].includes(cmd.args[0] ?? '')) {
          const pos = positionals(cmd.args.slice(1), ['--registry', '--prefix', '--loglevel']);
          found.push(...pos.filter((p) => /^(?:https?|ftp):\/\//i.test(p)));
        }
      }
      if (found.length > 0) hits.push({ range: ins.range, message: `Package installed from a URL: ${found.join(', ')}. Install pinned versions from a registry with hashes, or vendor and verify the artifact.` });
    }
    return hits;
  },
};
