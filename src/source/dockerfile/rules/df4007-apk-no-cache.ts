import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, pmCall, runs } from '../facts.ts';

export const df4007: Rule = {
  id: 'DF4007',
  slug: 'apk-no-cache',
  defaultSeverity: 'info',
  summary: 'apk add without --no-cache leaves the package index in the layer.',
  peers: [hadolint('DL3019')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (mountTargets(ins).includes('/var/cache/apk')) continue;
      const bad = commandsOf(ins).some((c) => c.name === 'apk' && pmCall(c, ['-X', '--repository', '-t', '--virtual', '--root', '-p'])?.sub === 'add' && !c.args.includes('--no-cache'));
      if (bad) hits.push({ range: ins.range, message: 'apk add without --no-cache.' });
    }
    return hits;
  },
};
