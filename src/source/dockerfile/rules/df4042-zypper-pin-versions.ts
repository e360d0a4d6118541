import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

export const df4042: Rule = {
  id: 'DF4042',
  slug: 'zypper-pin-versions',
  defaultSeverity: 'info',
  summary: 'zypper install without package versions (pkg=version, pkg>=version) makes builds unreproducible.',
  peers: [hadolint('DL3037')],
  check({ ast }) {
    return unpinnedInstallHits(ast, 'zypper install', (c) => {
      if (c.name !== 'zypper') return [];
      const pos = positionals(c.args, ['-r', '--repo', '--from', '-t', '--type']);
      if (pos[0] !== 'install' && pos[0] !== 'in') return [];
      return pos.slice(1).filter((p) => !/[=<>]/.test(p) && !p.endsWith('.rpm') && !p.startsWith('$'));
    });
  },
};
