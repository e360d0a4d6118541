import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

const WITH_VALUE = ['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '-x', '--exclude', '-c', '--config'];

export const df4011: Rule = {
  id: 'DF4011',
  slug: 'yum-pin-versions',
  defaultSeverity: 'info',
  summary: 'yum install without package versions (name-version) makes builds unreproducible.',
  peers: [hadolint('DL3033')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const cmd of commandsOf(ins)) {
        if (cmd.name !== 'yum') continue;
        const pos = positionals(cmd.args, WITH_VALUE);
        if (pos[0] === 'module' && pos[1] === 'install') {
          loose.push(...pos.slice(2).filter((p) => !p.includes(':') && !p.startsWith('$')));
          continue;
        }
        if (pos[0] !== 'install') continue;
        for (const p of pos.slice(1)) {
          if (/-[0-9]/.test(p) || /:[0-9]/.test(p) || p.endsWith('.rpm') || p.startsWith('$') || p.startsWith('/') || p.startsWith('@') || /^https?:/.test(p)) continue;
          loose.push(p);
        }
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `yum install without pinned versions: ${loose.slice(0, 8).join(', ')}${loose.length > 8 ? ', …' : ''}.` });
    }
    return hits;
  },
};
