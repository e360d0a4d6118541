import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, runs, usedStages } from '../facts.ts';

export const df4032: Rule = {
  id: 'DF4032',
  slug: 'yarn-cache-clean',
  defaultSeverity: 'info',
  summary: 'yarn install without `yarn cache clean` in the same RUN leaves the package cache in the layer.',
  peers: [hadolint('DL3060')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const used = usedStages(ast);
    for (const ins of runs(ast)) {
      if (!ins.onbuild && ins.stage >= 0 && !used.has(ins.stage)) continue;
      if (mountTargets(ins).some((t) => t.endsWith('/.cache/yarn') || t.endsWith('/share/.cache/yarn') || t.endsWith('/.yarn/cache'))) continue;
      const cmds = commandsOf(ins);
      const install = cmds.some((c) => c.name === 'yarn' && c.args.includes('install'));
      if (!install) continue;
      const clean = cmds.some((c) => (c.name === 'yarn' && c.args[0] === 'cache' && c.args[1] === 'clean') || (c.name === 'rm' && c.args.some((a) => a.includes('.cache/yarn'))));
      if (!clean) hits.push({ range: ins.range, message: 'yarn install without `yarn cache clean` in the same RUN.' });
    }
    return hits;
  },
};
