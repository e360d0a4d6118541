import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

export const PIP_WITH_VALUE = [
  '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix',
  '--root', '-f', '--find-links', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi',
  '--root-user-action', '--progress-bar', '--src', '--upgrade-strategy', '--no-binary', '--only-binary', '--global-option',
  '--install-option', '--log', '--cache-dir', '--timeout', '--retries', '--proxy', '--cert', '--client-cert',
  '--exists-action', '-e', '--editable', '--python', '--config-settings', '-C',
];

/** `pip install …`, `pip3.11 install …`, `python -m pip install …` → the arguments after `install`. */
export function pipInstallArgs(name: string, args: readonly string[]): readonly string[] | undefined {
  if (name === 'pipx') return args[0] === 'install' ? args.slice(1) : undefined;
  if (/^pip[0-9.]*$/.test(name)) {
    const pos = positionals(args, ['--python', '--log', '--proxy', '--cert']);
    if (pos[0] !== 'install') return undefined;
    return args.slice(args.indexOf('install') + 1);
  }
  if (/^python[0-9.]*$/.test(name)) {
    const m = args.indexOf('-m');
    if (m >= 0 && /^pip[0-9.]*$/.test(args[m + 1] ?? '') && args[m + 2] === 'install') return args.slice(m + 3);
  }
  return undefined;
}

function pinned(p: string): boolean {
  if (/[=<>!~]=|[<>]/.test(p)) return true;
  if (p.startsWith('.') || p.startsWith('/') || p.startsWith('$')) return true;
  if (/\.(?:whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(p)) return true;
  if (/^git\+|^(?:hg|svn|bzr)\+/.test(p)) return /@[^/#]+(?:#|$)/.test(p.replace(/^[a-z+]+:\/\/[^/@]*@/, '').replace(/^[^/]*\//, '/'));
  if (/^[a-z]+:\/\//i.test(p)) return true;
  if (p.includes('/')) return true; // a local directory or file
  return false;
}

export const df4012: Rule = {
  id: 'DF4012',
  slug: 'pip-pin-versions',
  defaultSeverity: 'info',
  summary: 'pip install of packages without versions (pkg==version) or a requirements/constraints file.',
  peers: [hadolint('DL3013')],
  check({ ast }) {
    return unpinnedInstallHits(
      ast,
      'pip install',
      (cmd) => {
        const args = pipInstallArgs(cmd.name, cmd.args);
        if (!args) return [];
        if (args.some((a) => a === '-c' || a === '--constraint' || a.startsWith('--constraint='))) return [];
        return positionals(args, PIP_WITH_VALUE).filter((p) => !pinned(p));
      },
      { max: 8 },
    );
  },
};
