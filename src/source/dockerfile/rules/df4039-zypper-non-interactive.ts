import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, hasFlag, positionals, runs } from '../facts.ts';

export const df4039: Rule = {
  id: 'DF4039',
  slug: 'zypper-non-interactive',
  defaultSeverity: 'warning',
  summary: 'zypper install without -n/-y waits for confirmation and fails the build.',
  peers: [hadolint('DL3034')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((c) => {
        if (c.name !== 'zypper') return false;
        const sub = positionals(c.args)[0];
        if (!['install', 'in', 'remove', 'rm', 'update', 'up', 'patch'].includes(sub ?? '')) return false;
        return !hasFlag(c.args, 'ny', ['non-interactive', 'no-confirm', 'yes']);
      });
      if (bad) hits.push({ range: ins.range, message: 'zypper without -n (--non-interactive) or -y.' });
    }
    return hits;
  },
};
