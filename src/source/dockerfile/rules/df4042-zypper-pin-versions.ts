import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

export const df4042: Rule = {
  id: 'DF4042',
  slug: 'zypper-pin-versions',
  defaultSeverity: 'info',
  summary: 'zypper install without package versions (pkg=version, pkg>=version) makes builds unreproducible.',
  peers: [hadolint('DL3037')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const c of commandsOf(ins)) {
        if (c.name !== 'zypper') continue;
        const pos = positionals(c.args, ['-r', '--repo', '--from', '-t', '--type']);
        if (pos[0] !== 'install' && pos[0] !== 'in') continue;
        loose.push(...pos.slice(1).filter((p) => !/[=<>]/.test(p) && !p.endsWith('.rpm') && !p.startsWith('$')));
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `zypper install without pinned versions: ${loose.join(', ')}.` });
    }
    return hits;
  },
};
