import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

const WITH_VALUE = ['--registry', '--loglevel', '--prefix', '--cache', '--userconfig', '--tag', '-C', '--workspace', '-w'];

function pinned(p: string): boolean {
  if (/^(?:\.|\/|~|\$)/.test(p)) return true;
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:)|^[a-z]+:\/\//i.test(p)) {
    if (/^https?:\/\//i.test(p) && !/\.git(?:#|$)/.test(p) && !/github\.com/.test(p)) return true; // tarball URL
    return p.includes('#');
  }
  if (/\.(?:tgz|tar\.gz)$/.test(p)) return true;
  const at = p.startsWith('@') ? p.indexOf('@', 1) : p.indexOf('@');
  return at > 0 && p.length > at + 1;
}

export const df4014: Rule = {
  id: 'DF4014',
  slug: 'npm-pin-versions',
  defaultSeverity: 'info',
  summary: 'npm install of a named package without a version (pkg@version).',
  peers: [hadolint('DL3016')],
  check({ ast }) {
    return unpinnedInstallHits(
      ast,
      'npm install',
      (cmd) => {
        if (cmd.name !== 'npm') return [];
        const pos = positionals(cmd.args, WITH_VALUE);
        if (!['install', 'i', 'add', 'isntall', 'in'].includes(pos[0] ?? '')) return [];
        return pos.slice(1).filter((p) => !pinned(p));
      },
      { max: 8 },
    );
  },
};
