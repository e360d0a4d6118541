import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, runs } from '../facts.ts';

export const df4005: Rule = {
  id: 'DF4005',
  slug: 'apt-not-apt-get',
  defaultSeverity: 'warning',
  summary: '`apt` is an interactive front end with an unstable CLI; scripts should use apt-get or apt-cache.',
  peers: [hadolint('DL3027')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (commandsOf(ins).some((c) => c.name === 'apt' && c.args.length > 0)) hits.push({ range: ins.range, message: 'Use apt-get or apt-cache instead of apt in scripts.' });
    }
    return hits;
  },
};
