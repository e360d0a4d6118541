import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

export const df4030: Rule = {
  id: 'DF4030',
  slug: 'gem-pin-versions',
  defaultSeverity: 'info',
  summary: 'gem install without a version (gem:version or -v).',
  peers: [hadolint('DL3028')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const c of commandsOf(ins)) {
        if (c.name !== 'gem') continue;
        const dd = c.args.indexOf('--');
        const args = dd >= 0 ? c.args.slice(0, dd) : c.args;
        const pos = positionals(args, ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '-g', '--file']);
        if (pos[0] !== 'install' && pos[0] !== 'i') continue;
        if (args.some((a) => a === '-v' || a.startsWith('--version'))) continue;
        loose.push(...pos.slice(1).filter((p) => !p.includes(':') && !p.endsWith('.gem') && p !== 'true' && p !== 'false' && !p.startsWith('$')));
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `gem install without pinned versions: ${loose.join(', ')}.` });
    }
    return hits;
  },
};
