import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

export const df4040: Rule = {
  id: 'DF4040',
  slug: 'zypper-dist-upgrade',
  defaultSeverity: 'warning',
  summary: 'zypper dist-upgrade in a build changes the whole distribution under the base image; update the base image instead.',
  peers: [hadolint('DL3035')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (commandsOf(ins).some((c) => c.name === 'zypper' && ['dist-upgrade', 'dup'].includes(positionals(c.args)[0] ?? ''))) hits.push({ range: ins.range, message: 'Do not run zypper dist-upgrade in a Dockerfile.' });
    }
    return hits;
  },
};
