import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

export const df4030: Rule = {
  id: 'DF4030',
  slug: 'gem-pin-versions',
  defaultSeverity: 'info',
  summary: 'gem install without a version (gem:version or -v).',
  peers: [hadolint('DL3028')],
  check({ ast }) {
    return unpinnedInstallHits(ast, 'gem install', (c) => {
      if (c.name !== 'gem') return [];
      const dd = c.args.indexOf('--');
      const args = dd >= 0 ? c.args.slice(0, dd) : c.args;
      const pos = positionals(args, ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '-g', '--file']);
      if (pos[0] !== 'install' && pos[0] !== 'i') return [];
      if (args.some((a) => a === '-v' || a.startsWith('--version'))) return [];
      return pos.slice(1).filter((p) => !p.includes(':') && !p.endsWith('.gem') && p !== 'true' && p !== 'false' && !p.startsWith('$'));
    });
  },
};
